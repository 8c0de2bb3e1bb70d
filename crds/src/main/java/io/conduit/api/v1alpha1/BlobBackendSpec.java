package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 's3' || has(self.s3)", message = "s3 settings are required when type is s3")
@ValidationRule(value = "self.type != 'local' || has(self.local)", message = "local settings are required when type is local")
@ValidationRule(value = "!has(self.contentAddressed) || !self.contentAddressed || !has(self.keyTemplate)",
        message = "keyTemplate and contentAddressed are exclusive")
// mirrorRefs is a set of names (what +listType=set would say of a list of strings): no backend twice. The
// maxItems keeps that pairwise rule inside the API server's CEL cost budget, which refuses the CRD otherwise.
@ValidationRule(value = "!has(self.mirrorRefs) || self.mirrorRefs.all(m, self.mirrorRefs.exists_one(n, n.name == m.name))",
        message = "mirrorRefs names a backend twice")
public record BlobBackendSpec(
        @Required @JsonPropertyDescription("Store type: s3 (S3 or S3-compatible) or local (a directory).") Type type,
        S3 s3,
        Local local,
        @JsonPropertyDescription("Object key layout, e.g. \"{yyyy}/{MM}/{dd}/{blobId}\" (the S3 default).") String keyTemplate,
        @JsonPropertyDescription("Store each blob once under sha256/ab/cd/<hash>; identical uploads share it. Local backends always do.")
        Boolean contentAddressed,
        @Pattern(Quantities.PATTERN) @JsonPropertyDescription("Largest blob accepted, e.g. 100Mi or 1Gi.") String maxSize,
        Presign presign,
        @JsonPropertyDescription("Further BlobBackends (in this namespace) each stored blob is copied to, asynchronously, e.g. [{name: offsite}].")
        @Size(max = 16) List<LocalObjectReference> mirrorRefs) {

    public enum Type {
        @JsonProperty("s3") S3,
        @JsonProperty("local") LOCAL
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3(
            @Required String bucket,
            String region,
            @JsonPropertyDescription("Endpoint of an S3-compatible store (MinIO, Ceph RGW, R2, s3proxy).") String endpoint,
            Boolean forcePathStyle,
            @JsonPropertyDescription("Prefix for every key written by this backend.") String prefix,
            @JsonPropertyDescription("Secret with keys accessKeyId and secretAccessKey (and optionally sessionToken). "
                    + "Without it the default AWS credential chain applies.") SecretRef credentialsSecretRef,
            @Pattern(Quantities.PATTERN) @JsonPropertyDescription("Multipart part size, default 8Mi (at least 5Mi).") String partSize,
            @JsonPropertyDescription("Send sha256 as S3's additional checksum (default true; turn off for stores that reject it).")
            Boolean sendChecksum,
            Provision provision) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provision(
            Boolean createBucket,
            @JsonPropertyDescription("Bucket policy document, applied as given.") JsonNode policy,
            @JsonPropertyDescription("Bucket lifecycle configuration, applied as given.") JsonNode lifecycle,
            @JsonPropertyDescription("Bucket CORS configuration, applied as given.") JsonNode cors,
            DeletionPolicy deletionPolicy) {
    }

    public enum DeletionPolicy {
        Retain, Delete
    }

    public record Local(@Required @JsonPropertyDescription("Directory that holds the blobs.") String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Presign(
            @Pattern(Durations.PATTERN) @JsonPropertyDescription("Lifetime of presigned GET URLs, e.g. 15m. Unset: no URL in blobRef.")
            String ttl,
            @JsonPropertyDescription("GET /v1/blobs answers 302 to a presigned URL instead of streaming.") Boolean redirect) {
    }
}
