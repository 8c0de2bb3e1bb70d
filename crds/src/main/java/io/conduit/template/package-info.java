/**
 * The template language of rules: whole-value references ({@code $body.a.b}, {@code $blobRef}) that
 * keep their JSON type, and string interpolation ({@code "{yyyy}/{MM}/{blobId}"}, {@code "{$path.id}"}).
 * No code execution. Compiling checks every reference against a {@link Scope}, so a reference that
 * cannot exist for a rule is a load-time problem, never a request-time failure. Uses only {@code config}.
 */
package io.conduit.template;
