package io.conduit.template;

/** A template that cannot be compiled; the message says what and where, for people. */
public class TemplateException extends IllegalArgumentException {
    public TemplateException(String message) {
        super(message);
    }
}
