package io.schemagate.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.quarkus.logging.Log;
import io.schemagate.api.ImageSource;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the scripts of an image reach a Job when the resource leaves it to the operator. */
final class ImageMounts {
    /** Image volumes are beta and on by default from this Kubernetes minor version on. */
    static final int FIRST_MINOR_WITH_IMAGE_VOLUMES = 35;

    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

    private ImageMounts() {}

    /**
     * @param setting the operator's setting, which wins
     * @param server the API server's version, asked only without a setting
     */
    static ImageSource.Mount byDefault(Optional<ImageSource.Mount> setting, Supplier<VersionInfo> server) {
        if (setting.isPresent()) {
            return setting.get();
        }
        try {
            VersionInfo version = server.get();
            ImageSource.Mount mount = supportsImageVolumes(version.getMajor(), version.getMinor())
                    ? ImageSource.Mount.Volume
                    : ImageSource.Mount.Copy;
            Log.infof(
                    "image sources are mounted by %s unless a resource says otherwise (Kubernetes %s.%s)",
                    mount, version.getMajor(), version.getMinor());
            return mount;
        } catch (KubernetesClientException e) {
            Log.warnf(
                    "the API server's version is unknown (%s): image sources are copied unless a resource "
                            + "says otherwise",
                    e.getMessage());
            return ImageSource.Mount.Copy;
        }
    }

    /** @param minor as the server reports it, "35" or "35+" */
    static boolean supportsImageVolumes(String major, String minor) {
        int majorNumber = leadingNumber(major);
        return majorNumber > 1 || (majorNumber == 1 && leadingNumber(minor) >= FIRST_MINOR_WITH_IMAGE_VOLUMES);
    }

    private static int leadingNumber(String text) {
        Matcher number = LEADING_NUMBER.matcher(text == null ? "" : text);
        return number.find() ? Integer.parseInt(number.group(1)) : 0;
    }
}
