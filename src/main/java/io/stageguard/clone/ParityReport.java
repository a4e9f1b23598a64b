package io.stageguard.clone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Live and staging side by side, item by item: what differs, what of that blocks the release, and
 * the parity index (the share of the checked items that match). An item a side could not check
 * (its value starts with {@value #NOT_CHECKED}, such as core files' checksums while wordpress.org
 * cannot be reached) is neither a match nor a difference: it is said to be not checked.
 */
public record ParityReport(List<Item> items, double parityIndex, List<String> blockingMismatches) {
    /** How a parity item's value starts when it could not be read. */
    public static final String NOT_CHECKED = "not checked";

    public record Item(String item, String live, String staging, boolean matches, boolean blocks, boolean notChecked) {
        /** Checked on both sides, and not the same. */
        public boolean differs() {
            return !matches && !notChecked;
        }
    }

    public static ParityReport compare(
            Map<String, String> live, Map<String, String> staging, Collection<String> blocking) {
        List<Item> items = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        for (Map.Entry<String, String> e : live.entrySet()) {
            String stagingValue = staging.get(e.getKey());
            boolean notChecked = notChecked(e.getValue()) || notChecked(stagingValue);
            boolean matches = !notChecked
                    && (e.getValue() == null
                            ? stagingValue == null
                            : e.getValue().equals(stagingValue));
            boolean blocks = !matches && !notChecked && blocking.contains(e.getKey());
            items.add(new Item(e.getKey(), e.getValue(), stagingValue, matches, blocks, notChecked));
            if (blocks) blockers.add(e.getKey() + ": live " + e.getValue() + ", staging " + stagingValue);
        }
        long checked = items.stream().filter(i -> !i.notChecked()).count();
        long matching = items.stream().filter(Item::matches).count();
        return new ParityReport(items, checked == 0 ? 1.0 : (double) matching / checked, blockers);
    }

    private static boolean notChecked(String value) {
        return value != null && value.startsWith(NOT_CHECKED);
    }

    public boolean blocked() {
        return !blockingMismatches.isEmpty();
    }

    public String summary() {
        List<String> differ =
                items.stream().filter(Item::differs).map(Item::item).toList();
        List<String> unchecked =
                items.stream().filter(Item::notChecked).map(Item::item).toList();
        long checked = items.size() - unchecked.size();
        return String.format(
                        Locale.ROOT,
                        "Parity %.0f%% (%d of %d items match)",
                        parityIndex * 100,
                        checked - differ.size(),
                        checked)
                + (differ.isEmpty() ? "" : "; differs: " + String.join(", ", differ))
                + (unchecked.isEmpty() ? "" : "; not checked: " + String.join(", ", unchecked))
                + (blocked() ? "; blocks the release: " + String.join("; ", blockingMismatches) : "");
    }
}
