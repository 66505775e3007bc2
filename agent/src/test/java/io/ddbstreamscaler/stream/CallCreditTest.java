package io.ddbstreamscaler.stream;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls booked for one poll, spent on the poll's thread only, and given back when unspent. */
class CallCreditTest {

    static final AwsCallBudget.Key A = new AwsCallBudget.Key("account:111122223333", "eu-west-1");
    static final AwsCallBudget.Key B = new AwsCallBudget.Key("key:AKIAEXAMPLE", "us-east-1");

    @Test
    void nothingToSpendWithoutAnOpenCredit() {
        assertFalse(CallCredit.spend(A));
    }

    @Test
    void spendsEachBookedCallOnceAndReportsTheRest() {
        try (CallCredit credit = CallCredit.open(Map.of(A, 2, B, 1))) {
            assertTrue(CallCredit.spend(A));
            assertTrue(CallCredit.spend(A));
            assertFalse(CallCredit.spend(A), "two booked, two spent");
            assertEquals(Map.of(B, 1), credit.unspent(), "only what is left, never a key at 0");
            assertFalse(CallCredit.spend(new AwsCallBudget.Key("ambient", "eu-west-1")), "a key never booked");
        }
        assertFalse(CallCredit.spend(B), "closed: B's call is no longer there");
    }

    @Test
    void aNestedCreditHidesTheOuterOneUntilItCloses() {
        try (CallCredit outer = CallCredit.open(Map.of(A, 1))) {
            try (CallCredit inner = CallCredit.open(Map.of(B, 1))) {
                assertFalse(CallCredit.spend(A), "the inner credit is the one open");
                assertTrue(CallCredit.spend(B));
                assertEquals(Map.of(), inner.unspent());
            }
            assertTrue(CallCredit.spend(A), "the outer credit is open again");
            assertEquals(Map.of(), outer.unspent());
        }
    }

    @Test
    void theCreditBelongsToTheThreadThatOpenedIt() throws InterruptedException {
        boolean[] spentElsewhere = {true};
        try (CallCredit credit = CallCredit.open(Map.of(A, 1))) {
            Thread other = new Thread(() -> spentElsewhere[0] = CallCredit.spend(A));
            other.start();
            other.join();
            assertFalse(spentElsewhere[0], "another thread cannot spend it");
            assertEquals(Map.of(A, 1), credit.unspent());
        }
    }

    @Test
    void theCreditIsACopy() {
        java.util.HashMap<AwsCallBudget.Key, Integer> booked = new java.util.HashMap<>(Map.of(A, 1));
        try (CallCredit credit = CallCredit.open(booked)) {
            booked.put(A, 5);
            assertTrue(CallCredit.spend(A));
            assertFalse(CallCredit.spend(A), "one booked when it was opened");
        }
    }
}
