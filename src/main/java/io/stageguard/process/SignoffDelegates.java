package io.stageguard.process;

import io.stageguard.deploy.ChangeSetFreezer;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 4 service tasks. */
@Configuration(proxyBeanMethods = false)
class SignoffDelegates {

    @Bean
    JavaDelegate freezeChangeSetDelegate(ReleaseVariables vars, ChangeSetFreezer freezer) {
        return execution -> {
            ChangeSetFreezer.Frozen frozen = freezer.freeze(vars.releaseId(execution),
                    (String) execution.getVariable(ReleaseVariables.SITE_ID), vars.round(execution));
            execution.setVariable("frozenManifest", vars.json(frozen.manifest()));
            execution.setVariable("manifestSha256", frozen.sha256());
            execution.setVariable("changeSetFrozen", true);
        };
    }

    @Bean
    JavaDelegate recordRejectionDelegate() {
        return execution -> {
            boolean byDeveloper = !"approve".equals(execution.getVariable("developerDecision"));
            String who = byDeveloper ? "developer" : "client";
            Object comment = execution.getVariable(byDeveloper ? "developerComment" : "clientComment");
            execution.setVariable("changeSetFrozen", false);
            execution.setVariable("reviseReason", "Rejected by the " + who + (comment == null || comment.toString().isBlank() ? "" : ": " + comment));
        };
    }
}
