package io.stageguard.process;

import static io.stageguard.process.ReleaseVariables.*;

import io.stageguard.deploy.ChangeSetFreezer;
import io.stageguard.qa.BrowserQa;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 4 service tasks. */
@Configuration(proxyBeanMethods = false)
class SignoffDelegates {

    @Bean
    JavaDelegate freezeChangeSetDelegate(ReleaseVariables vars, ChangeSetFreezer freezer, BrowserQa qa) {
        return execution -> {
            String releaseId = vars.releaseId(execution);
            int round = vars.round(execution);
            // sign-off approves what QA passed; a round QA stopped is never frozen, whatever the variables say
            if (!qa.read(releaseId, round).passed()) {
                throw new IllegalStateException("QA round " + round + " of release " + releaseId + " did not pass; refusing to freeze it");
            }
            ChangeSetFreezer.Frozen frozen = freezer.freeze(releaseId, vars.site(execution).id(), round);
            FROZEN_MANIFEST.set(execution, frozen.manifest());
            execution.setVariable("manifestSha256", frozen.sha256());
            CHANGE_SET_FROZEN.set(execution, true);
        };
    }

    @Bean
    JavaDelegate recordRejectionDelegate() {
        return execution -> {
            boolean byDeveloper = !"approve".equals(DEVELOPER_DECISION.from(execution));
            String who = byDeveloper ? "developer" : "client";
            String comment = (byDeveloper ? DEVELOPER_COMMENT : CLIENT_COMMENT).from(execution);
            CHANGE_SET_FROZEN.set(execution, false);
            REVISE_REASON.set(execution, "Rejected by the " + who + (comment == null || comment.isBlank() ? "" : ": " + comment));
        };
    }
}
