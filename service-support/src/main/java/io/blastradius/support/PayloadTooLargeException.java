package io.blastradius.support;

import java.io.IOException;

/** A request body longer than the service accepts; answered 413. An IOException so body readers propagate it. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("request body must be at most " + limit + " bytes");
    }
}
