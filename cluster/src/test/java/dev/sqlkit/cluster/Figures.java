package dev.sqlkit.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * What the tests measured, as {@code cluster-figures: name=value} lines: one when a figure is
 * taken, and all of a run's figures together at its end (for CI logs and the README).
 */
final class Figures {

    private static final Map<String, String> FIGURES = new ConcurrentSkipListMap<>();

    private Figures() {
    }

    static void record(String name, String value) {
        FIGURES.put(name, value);
        System.out.println("cluster-figures: " + name + "=" + value);
    }

    static void record(String name, double value) {
        record(name, String.format(java.util.Locale.ROOT, "%.3f", value));
    }

    static void printSummary() {
        if (!FIGURES.isEmpty()) {
            System.out.println("cluster-figures: " + FIGURES.entrySet().stream()
                    .map(figure -> figure.getKey() + "=" + figure.getValue()).collect(Collectors.joining(" ")));
        }
    }
}
