package io.conduit.gateway.blob.mirror;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** One pending copy as a spool stores it: the blob, and the mirrors still missing it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MirrorEntry(String blobId, String sha256, long size, String mime, String filename, List<String> mirrors) {
    /** Whether a stored entry can be worked: JSON such as {@code null} or {@code {}} parses, but names nothing. */
    static boolean isComplete(MirrorEntry entry) {
        return entry != null && entry.blobId() != null && entry.mirrors() != null;
    }

    MirrorEntry without(String mirror) {
        List<String> rest = new ArrayList<>(mirrors);
        rest.remove(mirror);
        return new MirrorEntry(blobId, sha256, size, mime, filename, List.copyOf(rest));
    }
}
