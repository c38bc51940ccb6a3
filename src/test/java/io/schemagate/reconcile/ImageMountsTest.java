package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.schemagate.api.ImageSource;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ImageMountsTest {

    @Test
    void imageVolumesAreTheDefaultFromKubernetes135On() {
        assertThat(onServer("1", "35")).isEqualTo(ImageSource.Mount.Volume);
        assertThat(onServer("1", "36+")).isEqualTo(ImageSource.Mount.Volume);
        assertThat(onServer("1", "34+")).isEqualTo(ImageSource.Mount.Copy);
        assertThat(onServer("1", "9")).isEqualTo(ImageSource.Mount.Copy);
    }

    @Test
    void theOperatorsSettingWinsWithoutAskingTheServer() {
        Supplier<VersionInfo> unasked = () -> {
            throw new AssertionError("the server was asked");
        };

        assertThat(ImageMounts.byDefault(Optional.of(ImageSource.Mount.Copy), unasked))
                .isEqualTo(ImageSource.Mount.Copy);
    }

    @Test
    void anUnknownServerVersionCopies() {
        assertThat(ImageMounts.byDefault(Optional.empty(), () -> {
                    throw new KubernetesClientException("connection refused");
                }))
                .isEqualTo(ImageSource.Mount.Copy);
    }

    private static ImageSource.Mount onServer(String major, String minor) {
        return ImageMounts.byDefault(
                Optional.empty(),
                () -> new VersionInfo.Builder()
                        .withMajor(major)
                        .withMinor(minor)
                        .build());
    }
}
