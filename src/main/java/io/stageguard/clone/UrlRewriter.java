package io.stageguard.clone;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces the live site's URL with the staging URL in database values without breaking them:
 * PHP-serialized values are parsed and written back with their byte lengths recomputed (at any
 * depth, serialized strings inside serialized strings included); JSON-escaped
 * ({@code http:\/\/host}), URL-encoded and protocol-relative forms, and the {@code www.} twin of the
 * live host, are replaced alongside the plain one.
 */
public final class UrlRewriter {
    /**
     * A match must end where the live host (or path) ends: {@code https://shop.example} is not to
     * be found inside {@code https://shop.example.org} or {@code https://shop.examples.com}.
     */
    private static final String BOUNDARY = "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])";

    private final Map<String, String> replacements;
    private final Pattern pattern;
    private final String[] needles;

    public UrlRewriter(String liveUrl, String stagingUrl) {
        Map<String, String> map = new LinkedHashMap<>();
        URI staging = URI.create(stagingUrl);
        String stagingAuthority = staging.getRawAuthority() + trimSlashes(staging.getRawPath());
        List<String> needles = new ArrayList<>();
        for (String liveAuthority : hostVariants(URI.create(liveUrl))) {
            for (String scheme : new String[] {"https", "http"}) {
                addForms(map, scheme + "://" + liveAuthority, staging.getScheme() + "://" + stagingAuthority);
            }
            addForms(map, "//" + liveAuthority, "//" + stagingAuthority);
            needles.add(liveAuthority);
            needles.add(liveAuthority.replace("/", "\\/"));
            needles.add(URLEncoder.encode(liveAuthority, StandardCharsets.UTF_8));
        }
        this.replacements = map;
        // longest first, so that "https://host" is not half-replaced by the "//host" rule
        this.pattern = Pattern.compile(map.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|", "(?:", ")" + BOUNDARY)));
        this.needles = needles.toArray(String[]::new);
    }

    /** The live host as written, and its www. twin: sites are reachable, and linked, under both. */
    private static List<String> hostVariants(URI live) {
        String authority = live.getRawAuthority();
        String path = trimSlashes(live.getRawPath());
        String twin = authority.startsWith("www.") ? authority.substring(4) : "www." + authority;
        return List.of(authority + path, twin + path);
    }

    private static void addForms(Map<String, String> map, String from, String to) {
        map.put(from, to);
        map.put(from.replace("/", "\\/"), to.replace("/", "\\/"));
        map.put(URLEncoder.encode(from, StandardCharsets.UTF_8), URLEncoder.encode(to, StandardCharsets.UTF_8));
    }

    private static String trimSlashes(String s) {
        return s == null ? "" : s.replaceAll("/+$", "");
    }

    /** The value with every live URL replaced, or the same instance when there was nothing to replace. */
    public String rewrite(String value) {
        if (value == null || !mentionsLive(value)) {
            return value;
        }
        if (looksSerialized(value)) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            try {
                SerializedRewrite r = new SerializedRewrite(bytes);
                r.value();
                if (r.pos == bytes.length) {
                    String out = r.out.toString(StandardCharsets.UTF_8);
                    return out.equals(value) ? value : out;
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException notSerialized) {
                // plain text that merely starts like a serialized value
            }
        }
        return replacePlain(value);
    }

    private boolean mentionsLive(String value) {
        for (String needle : needles) {
            if (value.contains(needle)) return true;
        }
        return false;
    }

    private String replacePlain(String value) {
        Matcher m = pattern.matcher(value);
        if (!m.find()) return value;
        StringBuilder out = new StringBuilder(value.length() + 32);
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(replacements.get(m.group())));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    private static boolean looksSerialized(String v) {
        return v.length() >= 4 && v.charAt(1) == ':' && "aOsCibdNE".indexOf(v.charAt(0)) >= 0 || v.equals("N;");
    }

    /** A recursive-descent pass over PHP's serialize() format that re-emits it with rewritten strings. */
    private final class SerializedRewrite {
        private final byte[] in;
        private int pos;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        SerializedRewrite(byte[] in) {
            this.in = in;
        }

        void value() {
            char type = (char) in[pos];
            switch (type) {
                case 's' -> string();
                case 'a' -> {
                    int count = Integer.parseInt(header("a:", ':'));
                    out.writeBytes(("a:" + count + ":").getBytes(StandardCharsets.US_ASCII));
                    container(count * 2);
                }
                case 'O' -> {
                    expect("O:");
                    int nameLength = Integer.parseInt(until(':'));
                    String head = new String(in, pos, nameLength + 3, StandardCharsets.ISO_8859_1); // "Class":
                    pos += nameLength + 3;
                    int count = Integer.parseInt(until(':'));
                    out.writeBytes(("O:" + nameLength + ":").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.writeBytes((count + ":").getBytes(StandardCharsets.US_ASCII));
                    container(count * 2);
                }
                case 'i', 'b', 'd', 'r', 'R', 'E', 'C' -> copyScalar();
                case 'N' -> {
                    expect("N;");
                    out.writeBytes("N;".getBytes(StandardCharsets.US_ASCII));
                }
                default -> throw new IllegalArgumentException("not serialized at " + pos);
            }
        }

        private void container(int items) {
            if (in[pos++] != '{') throw new IllegalArgumentException("expected {");
            out.write('{');
            for (int i = 0; i < items; i++) value();
            if (in[pos++] != '}') throw new IllegalArgumentException("expected }");
            out.write('}');
        }

        private void string() {
            int length = Integer.parseInt(header("s:", ':'));
            if (in[pos] != '"' || in[pos + 1 + length] != '"' || in[pos + 2 + length] != ';') {
                throw new IllegalArgumentException("bad string length at " + pos);
            }
            String inner = new String(in, pos + 1, length, StandardCharsets.UTF_8);
            pos += length + 3;
            byte[] rewritten = rewrite(inner).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("s:" + rewritten.length + ":\"").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(rewritten);
            out.writeBytes("\";".getBytes(StandardCharsets.US_ASCII));
        }

        /** Scalars and opaque custom serializations are copied byte for byte. */
        private void copyScalar() {
            int start = pos;
            char type = (char) in[pos];
            if (type == 'C' || type == 'E') {
                pos += 2;
                int nameLength = Integer.parseInt(until(':'));
                pos += nameLength + 3;
                if (type == 'C') {
                    int dataLength = Integer.parseInt(until(':'));
                    pos += dataLength + 2;
                }
            } else {
                while (in[pos] != ';') pos++;
                pos++;
            }
            out.write(in, start, pos - start);
        }

        private String header(String prefix, char end) {
            expect(prefix);
            return until(end);
        }

        private void expect(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (in[pos + i] != s.charAt(i)) throw new IllegalArgumentException("expected " + s);
            }
            pos += s.length();
        }

        private String until(char end) {
            int start = pos;
            while (in[pos] != end) {
                if (pos - start > 20) throw new IllegalArgumentException("number too long");
                pos++;
            }
            String s = new String(in, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            return s;
        }
    }
}
