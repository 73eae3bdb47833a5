package io.keel.protocol.client;

import io.keel.protocol.command.ErrorCode;

/** The peer answered a request with an error reply. */
public final class RemoteError extends RuntimeException {

    private final ErrorCode code;

    public RemoteError(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
