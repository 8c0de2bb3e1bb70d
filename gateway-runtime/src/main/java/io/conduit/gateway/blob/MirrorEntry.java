package io.conduit.gateway.blob;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** One pending copy as a spool stores it: the blob, and the mirrors still missing it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MirrorEntry(String blobId, String sha256, long size, String mime, String filename, List<String> mirrors) {
    MirrorEntry without(String mirror) {
        List<String> rest = new ArrayList<>(mirrors);
        rest.remove(mirror);
        return new MirrorEntry(blobId, sha256, size, mime, filename, List.copyOf(rest));
    }
}
