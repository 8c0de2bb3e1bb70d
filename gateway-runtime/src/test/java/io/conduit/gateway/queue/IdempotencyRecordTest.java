package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {
    static final QueueRef SENDING = new QueueRef("redis-streams", "events", IdempotencyRecord.MESSAGE_ID, "q", "waiting",
            "2026-11-23T10:00:01Z", null, null, null, IdempotencyRecord.MESSAGE_ID, false);

    @Test
    void aRetryKeyKeepsOnlyTheTimestampAndAnswersWithTheFirstAttemptsRef() {
        IdempotencyKey key = IdempotencyKey.forRetries();
        QueueRef first = SENDING.withTimestamp("2026-11-23T10:00:00Z");
        String kept = IdempotencyRecord.template(key, first);
        assertThat(kept).isEqualTo("2026-11-23T10:00:00Z");

        QueueRef answer = IdempotencyRecord.answer(key, key.attempt(), "1-0\n" + kept, SENDING, IdempotencyRecord.MESSAGE_ID);

        assertThat(answer).isEqualTo(first.withId(IdempotencyRecord.MESSAGE_ID, "1-0"));
        assertThat(answer.messageId()).isEqualTo("1-0");
        assertThat(answer.duplicate()).isFalse();
    }

    @Test
    void aClientKeyKeepsTheWholeRefAndARepeatFromAnotherRequestIsADuplicate() {
        IdempotencyKey first = IdempotencyKey.client("order-1", "fp");
        QueueRef custom = new QueueRef("bullmq", "jobs", IdempotencyRecord.JOB_ID, "q", "prioritized",
                "2026-11-23T10:00:00Z", 5, null, null, null, false);
        String stored = "7\n" + IdempotencyRecord.template(first, custom);

        QueueRef repeat = IdempotencyRecord.answer(IdempotencyKey.client("order-1", "fp"), first.attempt(), stored,
                SENDING, IdempotencyRecord.JOB_ID);

        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.jobId()).isEqualTo("7");
        assertThat(repeat.state()).isEqualTo("prioritized");
        assertThat(repeat.priority()).isEqualTo(5);
        assertThat(IdempotencyRecord.idOf("fp\n" + first.attempt() + "\n" + stored)).isEqualTo("7");
    }

    @Test
    void recordsOfTheEarlierLayoutAreStillRead() {
        String refJson = "{\"backend\":\"redis-streams\",\"backendName\":\"events\",\"jobId\":\"5-1\",\"queue\":\"q\","
                + "\"state\":\"waiting\",\"timestamp\":\"2026-11-23T09:00:00Z\",\"messageId\":\"5-1\"}";
        IdempotencyKey key = IdempotencyKey.client("k", "fp");

        QueueRef repeat = IdempotencyRecord.answer(key, "another-attempt", refJson, SENDING, IdempotencyRecord.MESSAGE_ID);

        assertThat(repeat.messageId()).isEqualTo("5-1");
        assertThat(repeat.timestamp()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(repeat.duplicate()).isTrue();
        assertThat(IdempotencyRecord.idOf("fp\nanother-attempt\n" + refJson)).isEqualTo("5-1");
    }
}
