package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {
    static final QueueRef SENDING = new QueueRef("redis-streams", "events", IdempotencyRecord.MESSAGE_ID, "q", "waiting",
            "2026-11-23T10:00:01Z", null, null, null, IdempotencyRecord.MESSAGE_ID, false);

    @Test
    void aRetryKeyKeepsOnlyTheTimestampAndAnswersWithTheFirstAttemptsRef() {
        IdempotencyKey key = IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000);
        QueueRef first = SENDING.withTimestamp("2026-11-23T10:00:00Z");
        String kept = IdempotencyRecord.kept(key, first);
        assertThat(kept).isEqualTo("2026-11-23T10:00:00Z");

        QueueRef answer = IdempotencyRecord.answer(key, key.attempt(), "1-0\n" + kept, SENDING, IdempotencyRecord.MESSAGE_ID);

        assertThat(answer).isEqualTo(first.withId(IdempotencyRecord.MESSAGE_ID, "1-0"));
        assertThat(answer.messageId()).isEqualTo("1-0");
        assertThat(answer.duplicate()).isFalse();
    }

    @Test
    void aClientKeyKeepsTheWholeRefWithTheIdInPlaceAndARepeatFromAnotherRequestIsADuplicate() {
        IdempotencyKey first = IdempotencyKey.client("order-1", "fp");
        QueueRef custom = new QueueRef("bullmq", "jobs", IdempotencyRecord.JOB_ID, "q", "prioritized",
                "2026-11-23T10:00:00Z", 5, null, null, null, false);
        String kept = IdempotencyRecord.kept(first, custom);
        assertThat(kept).startsWith("{").contains(IdempotencyRecord.JOB_ID);
        // What bullmq-add.lua stores: the JSON with the counter id in place, the layout every gateway version reads.
        String stored = kept.replace(IdempotencyRecord.JOB_ID, "7");

        QueueRef repeat = IdempotencyRecord.answer(IdempotencyKey.client("order-1", "fp"), first.attempt(), stored,
                SENDING, IdempotencyRecord.JOB_ID);

        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.jobId()).isEqualTo("7");
        assertThat(repeat.state()).isEqualTo("prioritized");
        assertThat(repeat.priority()).isEqualTo(5);
        assertThat(repeat.timestamp()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(IdempotencyRecord.idOf("fp\n" + first.attempt() + "\n" + stored)).isEqualTo("7");
    }

    @Test
    void theRetryOfTheRequestThatWroteARecordIsNotADuplicate() {
        IdempotencyKey key = IdempotencyKey.client("k", "fp");
        String stored = "{\"backend\":\"redis-streams\",\"backendName\":\"events\",\"jobId\":\"5-1\",\"queue\":\"q\","
                + "\"state\":\"waiting\",\"timestamp\":\"2026-11-23T09:00:00Z\",\"messageId\":\"5-1\"}";

        QueueRef retry = IdempotencyRecord.answer(key, key.attempt(), stored, SENDING, IdempotencyRecord.MESSAGE_ID);

        assertThat(retry.messageId()).isEqualTo("5-1");
        assertThat(retry.duplicate()).isFalse();
        assertThat(IdempotencyRecord.idOf("fp\n" + key.attempt() + "\n" + stored)).isEqualTo("5-1");
    }

    @Test
    void aClientKeyIsKeptForTheBackendsTtlAndARetryKeyUntilItsRequestsRetriesAreOverPlusTheMargin() {
        long now = 1_000_000;
        long margin = IdempotencyRecord.RETRY_KEY_MARGIN.toMillis();

        assertThat(IdempotencyRecord.ttlMillis(IdempotencyKey.client("k", "fp"), 86_400_000, now)).isEqualTo(86_400_000);
        assertThat(IdempotencyRecord.ttlMillis(IdempotencyKey.forRetries(now + 30_000), 86_400_000, now))
                .isEqualTo(30_000 + margin);
        assertThat(IdempotencyRecord.ttlMillis(IdempotencyKey.forRetries(now - 5_000), 86_400_000, now))
                .as("a send after the deadline (a retry racing it) still leaves its record for the margin")
                .isEqualTo(margin);
    }
}
