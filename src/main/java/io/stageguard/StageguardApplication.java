package io.stageguard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class StageguardApplication {
    public static void main(String[] args) {
        SpringApplication.run(StageguardApplication.class, args);
    }
}
