package io.conduit.template;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses, when a rule loads, a job id template no request could render into a valid id (1-200 letters, digits,
 * '.', '_' or '-', starting with a letter or digit): a literal with other characters, or a whole object such as
 * {@code $headers}. What depends on the request (the value of {@code $body.idempotencyKey}) is judged per request.
 */
final class JobIdTemplate {
    static final int MAX_LENGTH = 200;
    private static final Pattern SAFE_TEXT = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Set<Root> OBJECTS_WHEN_WHOLE = EnumSet.of(Root.HEADERS, Root.QUERY, Root.PATH, Root.REQUEST,
            Root.BLOB_REF, Root.BLOB_REFS, Root.QUEUE_REF);

    private JobIdTemplate() {
    }

    static StringTemplate check(StringTemplate template, String where) {
        for (String literal : template.literals()) {
            if (!SAFE_TEXT.matcher(literal).matches()) {
                throw new TemplateException(where + ": '" + template + "' can never be a job id: its text '" + literal
                        + "' has characters other than letters, digits, '.', '_' and '-'");
            }
        }
        String first = template.literals().isEmpty() ? "" : template.literals().get(0);
        if (template.startsWithLiteral() && !first.isEmpty() && !Character.isLetterOrDigit(first.charAt(0))) {
            throw new TemplateException(where + ": '" + template + "' can never be a job id: it must start with a letter or digit");
        }
        int fixed = template.literals().stream().mapToInt(String::length).sum();
        if (fixed > MAX_LENGTH) {
            throw new TemplateException(where + ": '" + template + "' can never be a job id: its text alone is longer than "
                    + MAX_LENGTH + " characters");
        }
        for (Reference ref : template.references()) {
            if (ref.fields().isEmpty() && OBJECTS_WHEN_WHOLE.contains(ref.root())) {
                throw new TemplateException(where + ": " + ref + " is an object and can never be a job id; name one of its"
                        + " fields, e.g. " + ref + "." + (ref.root() == Root.PATH ? "id" : "id"));
            }
        }
        return template;
    }
}
