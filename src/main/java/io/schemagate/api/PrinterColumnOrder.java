package io.schemagate.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the CRD's printer columns in the order {@link DatabaseMigration} declares them, the order
 * people read a row in; the CRD generator sorts them by JSON path. Run at build time
 * ({@code quarkus.operator-sdk.crd.post-processor}).
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            List<String> declared = Arrays.stream(
                            DatabaseMigration.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
            definition.getSpec().getVersions().stream()
                    .filter(version -> version.getAdditionalPrinterColumns() != null)
                    .forEach(version -> version.getAdditionalPrinterColumns()
                            .sort(Comparator.comparingInt(
                                    (CustomResourceColumnDefinition column) -> declared.indexOf(column.getName()))));
        }
        return crd;
    }
}
