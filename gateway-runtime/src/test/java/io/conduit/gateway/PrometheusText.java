package io.conduit.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every sample line
 * must parse, or the scrape is broken. Samples are keyed {@code name{a="x",b="y"}} with labels sorted.
 */
final class PrometheusText {
    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new LinkedHashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText result = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                result.types.put(parts[0], parts[1]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            result.sample(line);
        }
        return result;
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw new IllegalArgumentException("bad metric name in: " + line);
        }
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        samples.put(key(name, labels), value);
    }

    static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name);
        if (!labels.isEmpty()) {
            b.append('{');
            new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
            b.setLength(b.length() - 1);
            b.append('}');
        }
        return b.toString();
    }

    /** The value of one series ({@code labels} as name, value pairs), or null when absent. */
    Double value(String name, String... labels) {
        Map<String, String> map = new TreeMap<>();
        for (int k = 0; k < labels.length; k += 2) {
            map.put(labels[k], labels[k + 1]);
        }
        return samples.get(key(name, map));
    }

    /** The sum over every series of {@code name} whose labels include {@code labels}. */
    double sum(String name, String... labels) {
        double total = 0;
        outer:
        for (var e : samples.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            for (int j = 0; j < labels.length; j += 2) {
                if (!k.contains(labels[j] + "=\"" + labels[j + 1] + "\"")) {
                    continue outer;
                }
            }
            total += e.getValue();
        }
        return total;
    }

    /**
     * The {@code q} quantile of a histogram, computed from its cumulative buckets the way PromQL's
     * {@code histogram_quantile} does (linear within the bucket that holds the rank).
     */
    double histogramQuantile(double q, String name, String... labels) {
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        String prefix = name + "_bucket{";
        outer:
        for (var e : samples.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            for (int j = 0; j < labels.length; j += 2) {
                if (!e.getKey().contains(labels[j] + "=\"" + labels[j + 1] + "\"")) {
                    continue outer;
                }
            }
            var m = java.util.regex.Pattern.compile("le=\"([^\"]+)\"").matcher(e.getKey());
            if (!m.find()) {
                throw new IllegalArgumentException("bucket without le: " + e.getKey());
            }
            String le = m.group(1);
            buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), e.getValue());
        }
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("no buckets for " + name);
        }
        double total = buckets.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = b.getValue() - lowerCount;
                return lowerBound + (b.getKey() - lowerBound) * (inBucket == 0 ? 1 : (rank - lowerCount) / inBucket);
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return lowerBound;
    }
}
