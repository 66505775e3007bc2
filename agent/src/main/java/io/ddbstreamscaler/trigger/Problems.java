package io.ddbstreamscaler.trigger;

/** Where a parser reports what is wrong with one field: the receiver knows the file, the object and the trigger. */
@FunctionalInterface
interface Problems {
    void add(String field, String message);
}
