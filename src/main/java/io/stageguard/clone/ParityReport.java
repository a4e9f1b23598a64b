package io.stageguard.clone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Live and staging side by side, item by item: what differs, what of that blocks the release, and
 * the parity index (the share of items that match).
 */
public record ParityReport(List<Item> items, double parityIndex, List<String> blockingMismatches) {

    public record Item(String item, String live, String staging, boolean matches, boolean blocks) {
    }

    public static ParityReport compare(Map<String, String> live, Map<String, String> staging, Collection<String> blocking) {
        List<Item> items = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        for (Map.Entry<String, String> e : live.entrySet()) {
            String stagingValue = staging.get(e.getKey());
            boolean matches = e.getValue() == null ? stagingValue == null : e.getValue().equals(stagingValue);
            boolean blocks = !matches && blocking.contains(e.getKey());
            items.add(new Item(e.getKey(), e.getValue(), stagingValue, matches, blocks));
            if (blocks) blockers.add(e.getKey() + ": live " + e.getValue() + ", staging " + stagingValue);
        }
        long matching = items.stream().filter(Item::matches).count();
        return new ParityReport(items, items.isEmpty() ? 1.0 : (double) matching / items.size(), blockers);
    }

    public boolean blocked() {
        return !blockingMismatches.isEmpty();
    }

    public String summary() {
        long mismatches = items.stream().filter(i -> !i.matches()).count();
        return String.format(Locale.ROOT, "Parity %.0f%% (%d of %d items match)", parityIndex * 100, items.size() - mismatches, items.size())
                + (mismatches == 0 ? "" : "; differs: " + String.join(", ", items.stream().filter(i -> !i.matches()).map(Item::item).toList()))
                + (blocked() ? "; blocks the release: " + String.join("; ", blockingMismatches) : "");
    }
}
