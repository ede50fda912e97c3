package dev.sqlkit.codegen.provision;

/** A database could not be provisioned. The message names the setting involved and how to fix it. */
public final class ProvisioningException extends RuntimeException {

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProvisioningException(String message) {
        super(message);
    }
}
