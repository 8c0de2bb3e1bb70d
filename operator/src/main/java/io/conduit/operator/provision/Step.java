package io.conduit.operator.provision;

/** The outcome of one provisioning step, shown as one condition of the backend; the message is the store's own. */
record Step(String condition, boolean ok, String reason, String message) {
    static Step ok(String condition, String message) {
        return new Step(condition, true, "Provisioned", message);
    }

    static Step failed(String condition, String reason, String message) {
        return new Step(condition, false, reason, message);
    }
}
