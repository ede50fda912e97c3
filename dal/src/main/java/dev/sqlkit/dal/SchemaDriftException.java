package dev.sqlkit.dal;

import java.util.List;

/** The database does not match the migrations this dal was built from; each problem is listed. */
public final class SchemaDriftException extends DalException {

    private final List<String> problems;

    public SchemaDriftException(List<String> problems) {
        super("the database does not match the migrations:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
