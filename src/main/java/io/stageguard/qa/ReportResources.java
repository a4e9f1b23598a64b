package io.stageguard.qa;

import io.stageguard.StageguardProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Serves QA reports and their images from the data folder, at the URLs the reports record. */
@Configuration(proxyBeanMethods = false)
class ReportResources implements WebMvcConfigurer {
    private final StageguardProperties app;

    ReportResources(StageguardProperties app) {
        this.app = app;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/reports/**")
                .addResourceLocations(app.reportsDir().toUri().toString() + "/");
    }
}
