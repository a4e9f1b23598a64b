package io.stageguard.process;

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
