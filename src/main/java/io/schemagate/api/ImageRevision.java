package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An image whose migrations a run applied, and the highest version its scripts declare. */
public class ImageRevision {
    @JsonPropertyDescription("Image reference.")
    private String image;

    @JsonPropertyDescription("Highest version among the image's scripts: what pods of this image need. "
            + "Empty when the image has no versioned script.")
    private String latest;

    public ImageRevision() {}

    public ImageRevision(String image, String latest) {
        this.image = image;
        this.latest = latest;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest;
    }
}
