package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bisection search on its own, over a change set whose behaviour is a plain function of the
 * subset applied. The end-to-end proof on real WordPress is in BrowserQaTest.
 */
class CulpritSearchTest {

    @Test
    void eachProblemIsPinnedOnTheSingleChangeThatCausesIt() throws Exception {
        List<List<Integer>> tried = new ArrayList<>();
        CulpritFinder.Search s = CulpritFinder.search(4, Set.of("visual|/a|desktop", "flow|comment|"), 16, subset -> {
            tried.add(subset);
            Set<String> seen = new java.util.HashSet<>();
            if (subset.contains(1)) seen.add("visual|/a|desktop");
            if (subset.contains(3)) seen.add("flow|comment|");
            return seen;
        });
        assertThat(s.culprits()).isEqualTo(Map.of("visual|/a|desktop", List.of(1), "flow|comment|", List.of(3)));
        assertThat(tried).containsExactly(List.of(0), List.of(1), List.of(2), List.of(3));
    }

    @Test
    void aProblemThatNeedsTwoChangesIsPinnedOnThePair() throws Exception {
        CulpritFinder.Search s = CulpritFinder.search(3, Set.of("http|/checkout/|"), 16,
                subset -> subset.contains(0) && subset.contains(2) ? Set.of("http|/checkout/|", "unrelated") : Set.of());
        assertThat(s.culprits()).isEqualTo(Map.of("http|/checkout/|", List.of(0, 2)));
        assertThat(s.trials()).hasSize(3 + 2).last().asString().contains("http|/checkout/|");
    }

    @Test
    void theTrialBudgetIsRespected() throws Exception {
        CulpritFinder.Search s = CulpritFinder.search(6, Set.of("x"), 4, subset -> Set.of());
        assertThat(s.trials()).hasSize(4);
        assertThat(s.culprits()).isEmpty();
    }
}
