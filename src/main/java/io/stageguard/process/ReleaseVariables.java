package io.stageguard.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.site.Site;
import io.stageguard.site.SiteRegistry;
import io.stageguard.update.Change;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.spin.Spin;
import org.camunda.spin.json.SpinJsonNode;
import org.springframework.stereotype.Component;

/**
 * The release's process variables, read and written in one place. Variables are JSON or
 * primitives (Tasklist forms read them); the release id is the business key; a site is carried
 * by id only, so its credentials never enter variables or history.
 */
@Component
public class ReleaseVariables {
    public static final String SITE_ID = "siteId";
    public static final String CHANGES = "changes";
    public static final String QA_PATHS = "qaPaths";
    public static final String QA_ROUND = "qaRound";
    public static final String MAX_QA_ROUNDS = "maxQaRounds";

    private final ObjectMapper mapper;
    private final SiteRegistry sites;
    private final ReleaseRecords releases;

    public ReleaseVariables(ObjectMapper mapper, SiteRegistry sites, ReleaseRecords releases) {
        this.mapper = mapper;
        this.sites = sites;
        this.releases = releases;
    }

    public String releaseId(DelegateExecution execution) {
        return execution.getProcessBusinessKey();
    }

    /** The release's site as recorded when it started; the {@code siteId} variable only shows it. */
    public Site site(DelegateExecution execution) {
        return sites.get(releases.get(releaseId(execution)).siteId());
    }

    /** The QA round as Stageguard counts it; the {@code qaRound} variable only shows it. */
    public int round(DelegateExecution execution) {
        return releases.get(releaseId(execution)).qaRound();
    }

    public List<Change> changes(DelegateExecution execution) {
        return read(execution.getVariable(CHANGES), new TypeReference<>() { });
    }

    public List<String> qaPaths(DelegateExecution execution) {
        return read(execution.getVariable(QA_PATHS), new TypeReference<>() { });
    }

    /** A value as a Spin JSON variable, the form Tasklist and Cockpit show as JSON. */
    public SpinJsonNode json(Object value) {
        try {
            return Spin.JSON(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write variable as JSON", e);
        }
    }

    public <T> T read(Object variable, TypeReference<T> type) {
        try {
            return mapper.readValue(variable.toString(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("variable is not the JSON expected: " + e.getOriginalMessage(), e);
        }
    }
}
