package dev.bulwark.deploy.manifests;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found by a small tokenizer rather than a parser: an identifier is a
 * metric name unless it is a keyword or aggregation operator, a function (followed by {@code (}), a label name (inside
 * {@code {...}}, or in the list after {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left},
 * {@code group_right}), part of a string, a number or a duration ({@code [5m]}, {@code offset 15m}), or a Grafana
 * variable ({@code $instance}, {@code ${DS_PROMETHEUS}}). A {@code __name__="x"} matcher names metric x too. Good
 * enough for the expressions Bulwark writes; unbalanced brackets or an unterminated string are refused rather than
 * guessed at.
 */
final class PromQlMetricNames {

    /** Keywords and binary operators written as words (PromQL reads them in any case). */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan");

    /** Keywords followed by a parenthesised list of label names. */
    private static final Set<String> LABEL_LISTS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    /** Aggregation operators: their name may be followed by {@code by (...)} before the parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"");

    /** Grafana's {@code label_values(<series selector>, <label>)}: the selector names metrics, the label does not. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("(?s)\\s*label_values\\s*\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*");

    /** Grafana's {@code query_result(<expression>)}. */
    private static final Pattern QUERY_RESULT = Pattern.compile("(?s)\\s*query_result\\s*\\((.*)\\)\\s*");

    private PromQlMetricNames() {}

    /** Every metric name {@code expr} reads, sorted. */
    static Set<String> in(String expr) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
            } else if (c == '{') {
                int end = closing(expr, i, '{', '}');
                Matcher name = NAME_MATCHER.matcher(expr.substring(i, end));
                while (name.find()) {
                    names.add(name.group(1));
                }
                i = end;
            } else if (c == '[') {
                i = closing(expr, i, '[', ']');
            } else if (c == '$') {
                i = afterVariable(expr, i);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                // a number or a duration: 0.99, 1e3, 0x1f, 15m, 1h30m
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (identifierStart(c)) {
                int start = i;
                while (i < n && identifierPart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                String keyword = word.toLowerCase(Locale.ROOT);
                int next = skipSpace(expr, i);
                if (LABEL_LISTS.contains(keyword)) {
                    if (next < n && expr.charAt(next) == '(') {
                        i = closing(expr, next, '(', ')');
                    }
                } else if (KEYWORDS.contains(keyword) || AGGREGATIONS.contains(keyword)) {
                    // an operator: its arguments follow
                } else if (next < n && expr.charAt(next) == '(') {
                    // a function: its arguments follow
                } else {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    /**
     * The metric names a Grafana query variable reads: {@code label_values(selector, label)} and
     * {@code query_result(expr)} are unwrapped, {@code label_values(label)} and {@code label_names()} read none.
     */
    static Set<String> inVariableQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return in(labelValues.group(1));
        }
        Matcher queryResult = QUERY_RESULT.matcher(query);
        if (queryResult.matches()) {
            return in(queryResult.group(1));
        }
        if (query.strip().matches("(label_values\\s*\\(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)|label_names\\(\\s*\\))")) {
            return new TreeSet<>();
        }
        return in(query);
    }

    private static boolean identifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean identifierPart(char c) {
        return identifierStart(c) || (c >= '0' && c <= '9');
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the string starting at {@code start} (a backtick string has no escapes). */
    private static int afterString(String expr, int start) {
        char quote = expr.charAt(start);
        int i = start + 1;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated string at " + start + " in: " + expr);
    }

    /** The index after the bracket matching the one at {@code start}, strings inside skipped. */
    private static int closing(String expr, int start, char open, char close) {
        int depth = 0;
        int i = start;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("no '" + close + "' for the '" + open + "' at " + start + " in: " + expr);
    }

    /** The index after a Grafana variable: {@code $name}, {@code ${name}} or {@code ${name:format}}. */
    private static int afterVariable(String expr, int start) {
        int i = start + 1;
        if (i < expr.length() && expr.charAt(i) == '{') {
            return closing(expr, i, '{', '}');
        }
        while (i < expr.length() && identifierPart(expr.charAt(i))) {
            i++;
        }
        return i;
    }
}
