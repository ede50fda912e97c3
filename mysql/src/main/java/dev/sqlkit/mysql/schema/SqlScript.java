package dev.sqlkit.mysql.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration file cut into its statements, each with the line it starts on, so that a failure can
 * say "statement 2 (line 7)". Only the lexical structure is read (quotes, backticks, comments and
 * the {@code ;} that ends a statement), which is all that splitting needs: what a statement means is
 * left to the server, and to jOOQ's parser in the build's lint.
 */
public final class SqlScript {

    /** One statement of a script: its text without the final {@code ;}, and where it starts (1-based). */
    public record Statement(int number, int line, String sql) {

        /** The first line of the statement, for messages. */
        public String firstLine() {
            String first = sql.lines().map(String::strip).filter(text -> !text.isEmpty() && !text.startsWith("--"))
                    .findFirst().orElse(sql.strip());
            return first.length() > 100 ? first.substring(0, 97) + "..." : first;
        }
    }

    private SqlScript() {
    }

    /**
     * The statements of {@code script} in order. Comments between statements are dropped; a
     * statement's line is the line of its first character that is not blank or comment.
     */
    public static List<Statement> statements(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int length = script.length();
        for (int index = 0; index < length; index++) {
            char character = script.charAt(index);
            char next = index + 1 < length ? script.charAt(index + 1) : '\0';
            if (character == '-' && next == '-' || character == '#') {
                int end = script.indexOf('\n', index);
                end = end < 0 ? length : end;
                if (startLine >= 0) {
                    current.append(script, index, end);
                }
                index = end - 1;
                continue;
            }
            if (character == '/' && next == '*') {
                int end = script.indexOf("*/", index + 2);
                end = end < 0 ? length : end + 2;
                String comment = script.substring(index, end);
                if (startLine >= 0) {
                    current.append(comment);
                }
                line += (int) comment.chars().filter(c -> c == '\n').count();
                index = end - 1;
                continue;
            }
            if (character == ';') {
                if (startLine >= 0) {
                    statements.add(new Statement(statements.size() + 1, startLine, current.toString().strip()));
                }
                current.setLength(0);
                startLine = -1;
                continue;
            }
            if (character == '\'' || character == '"' || character == '`') {
                int end = closingQuote(script, index, character);
                String quoted = script.substring(index, end);
                if (startLine < 0) {
                    startLine = line;
                }
                current.append(quoted);
                line += (int) quoted.chars().filter(c -> c == '\n').count();
                index = end - 1;
                continue;
            }
            if (character == '\n') {
                line++;
            }
            if (startLine < 0 && !Character.isWhitespace(character)) {
                startLine = line;
            }
            if (startLine >= 0) {
                current.append(character);
            }
        }
        if (startLine >= 0 && !current.toString().isBlank()) {
            statements.add(new Statement(statements.size() + 1, startLine, current.toString().strip()));
        }
        return statements;
    }

    /** The index just past the quote that closes the one at {@code start} (doubled quotes and backslashes escape). */
    private static int closingQuote(String script, int start, char quote) {
        for (int index = start + 1; index < script.length(); index++) {
            char character = script.charAt(index);
            if (character == '\\' && quote != '`') {
                index++;
            } else if (character == quote) {
                if (index + 1 < script.length() && script.charAt(index + 1) == quote) {
                    index++;
                } else {
                    return index + 1;
                }
            }
        }
        return script.length();
    }
}
