package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The culprit search on its own, over a change set whose behaviour is a plain function of the
 * subset applied: the control first, then halves, then pairs. The end-to-end proof on real
 * WordPress is in BrowserQaTest.
 */
class CulpritSearchTest {

    @Test
    void eachProblemIsFollowedIntoTheHalfThatShowsItDownToItsChange() throws Exception {
        List<List<Integer>> tried = new ArrayList<>();
        CulpritFinder.Search s = CulpritFinder.search(4, Set.of("visual|/a|desktop", "flow|comment|"), 16, subset -> {
            tried.add(subset);
            Set<String> seen = new java.util.HashSet<>();
            if (subset.contains(1)) seen.add("visual|/a|desktop");
            if (subset.contains(3)) seen.add("flow|comment|");
            return seen;
        });
        assertThat(s.culprits()).isEqualTo(Map.of("visual|/a|desktop", List.of(1), "flow|comment|", List.of(3)));
        assertThat(s.presentBefore()).isEmpty();
        assertThat(tried)
                .containsExactly(
                        List.of(), List.of(0, 1), List.of(0), List.of(1), List.of(2, 3), List.of(2), List.of(3));
    }

    @Test
    void bisectionNeedsFarFewerTrialsThanEveryChangeAlone() throws Exception {
        CulpritFinder.Search s = CulpritFinder.search(
                16, Set.of("console|/|"), 40, subset -> subset.contains(11) ? Set.of("console|/|") : Set.of());
        assertThat(s.culprits()).isEqualTo(Map.of("console|/|", List.of(11)));
        // the control, then two halves at each of four levels at most, against 16 trials of each change alone
        assertThat(s.trials()).hasSizeLessThanOrEqualTo(1 + 2 * 4);
    }

    @Test
    void aProblemTheEmptySetShowsIsPresentBeforeTheChangesAndBlamedOnNone() throws Exception {
        // cloning and sanitizing changed what the author archive shows: there with no change applied
        CulpritFinder.Search s = CulpritFinder.search(
                2,
                Set.of("visual|/author/admin/|phone", "console|/shop/|"),
                16,
                subset -> subset.contains(1)
                        ? Set.of("visual|/author/admin/|phone", "console|/shop/|")
                        : Set.of("visual|/author/admin/|phone"));
        assertThat(s.presentBefore()).containsExactly("visual|/author/admin/|phone");
        assertThat(s.culprits()).isEqualTo(Map.of("console|/shop/|", List.of(1)));
        assertThat(s.trials().get(0).subset()).as("the control comes first").isEmpty();
    }

    @Test
    void aProblemThatNeedsTwoChangesIsPinnedOnThePair() throws Exception {
        CulpritFinder.Search s = CulpritFinder.search(
                3,
                Set.of("http|/checkout/|"),
                16,
                subset ->
                        subset.contains(0) && subset.contains(2) ? Set.of("http|/checkout/|", "unrelated") : Set.of());
        assertThat(s.culprits()).isEqualTo(Map.of("http|/checkout/|", List.of(0, 2)));
        // the control, the halves [0] and [1, 2] (neither shows it alone), then pairs until (0, 2)
        assertThat(s.trials())
                .extracting(CulpritFinder.Trial::subset)
                .containsExactly(List.of(), List.of(0), List.of(1, 2), List.of(0, 1), List.of(0, 2));
        assertThat(s.trials().get(4).found()).containsExactly("http|/checkout/|");
    }

    @Test
    void theTrialBudgetIsRespected() throws Exception {
        CulpritFinder.Search s = CulpritFinder.search(6, Set.of("x"), 4, subset -> Set.of());
        assertThat(s.trials()).hasSize(4);
        assertThat(s.culprits()).isEmpty();
    }
}
