package io.conduit.gateway.edge.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenTheRateRefillsIt() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);

        assertThat(bucket.take(0).allowed()).isTrue();
        assertThat(bucket.take(0).allowed()).isTrue();
        Decision last = bucket.take(0);
        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.resetSeconds()).isEqualTo(2);

        Decision refused = bucket.take(0);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);

        assertThat(bucket.take(SECOND / 2).allowed()).as("one token after half a second at 2/s").isTrue();
        assertThat(bucket.take(SECOND / 2).allowed()).isFalse();
        assertThat(bucket.full(10 * SECOND)).isTrue();
    }

    @Test
    void theTighterDecisionIsTheRefusalOrTheFewerRemaining() {
        Decision many = new Decision(true, 10, 9, 1, 0);
        Decision few = new Decision(true, 5, 1, 2, 0);
        Decision no = new Decision(false, 100, 0, 5, 3);

        assertThat(many.tighter(few)).isEqualTo(few);
        assertThat(few.tighter(no)).isEqualTo(no);
        assertThat(no.tighter(many)).isEqualTo(no);
        assertThat(many.tighter(null)).isEqualTo(many);
    }
}
