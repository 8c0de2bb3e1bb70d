package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local brokers the queue backends are tested against, each driven by its own official client: they start on free
 * ports, refuse a wrong password, and keep what they acknowledged across a stop and start, which the backends' fault
 * tests rely on.
 */
@Timeout(300)
class BrokersIT {

    private static <S> S local(String name, String remedy, Locator locator, java.util.function.Function<TestServer, S> typed) {
        return Resolver.resolve(name, remedy, Env.system().ci(), List.of(locator)).map(typed).get();
    }

    @Nested
    class RabbitMq {

        @Test
        void aConfirmedPersistentMessageSurvivesARestartAndAWrongPasswordIsRefused() throws Exception {
            try (RabbitMqServer rabbit = local(RabbitMqServer.NAME, RabbitMqServer.REMEDY,
                    RabbitMqServer.localBinary(Env.system()), RabbitMqServer::new)) {
                assertThat(rabbit.port()).isNotEqualTo(RabbitMqServer.DEFAULT_PORT);
                try (Connection connection = connect(rabbit.amqpUri()); Channel channel = connection.createChannel()) {
                    channel.queueDeclare("orders", true, false, false, java.util.Map.of("x-queue-type", "quorum"));
                    channel.confirmSelect();
                    channel.basicPublish("", "orders", true,
                            new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("job-1").build(),
                            "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                    channel.waitForConfirmsOrDie(10_000);
                }

                rabbit.stop();
                rabbit.start();

                try (Connection connection = connect(rabbit.amqpUri()); Channel channel = connection.createChannel()) {
                    GetResponse message = channel.basicGet("orders", true);
                    assertThat(message).as("the confirmed message after a restart").isNotNull();
                    assertThat(message.getProps().getMessageId()).isEqualTo("job-1");
                    assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
                }
                URI wrong = URI.create("amqp://guest:wrong@" + rabbit.host() + ":" + rabbit.port());
                assertThatThrownBy(() -> connect(wrong).close()).isInstanceOf(AuthenticationFailureException.class);
            }
        }

        private static Connection connect(URI uri) throws Exception {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            factory.setAutomaticRecoveryEnabled(false);
            return factory.newConnection();
        }
    }

    @Nested
    class JetStreamOnNats {

        @Test
        void anAcknowledgedPublishSurvivesARestartDuplicatesAreCaughtAndAWrongPasswordIsRefused() throws Exception {
            try (NatsServer nats = local(NatsServer.NAME, NatsServer.REMEDY, NatsServer.localBinary(Env.system()), NatsServer::new)) {
                try (io.nats.client.Connection connection = Nats.connect(options(nats.natsUri()))) {
                    JetStreamManagement management = connection.jetStreamManagement();
                    management.addStream(StreamConfiguration.builder().name("WORK").subjects("work.>")
                            .storageType(StorageType.File).build());
                    JetStream jetStream = connection.jetStream();
                    PublishAck first = jetStream.publish(message("work.orders", "job-1"));
                    PublishAck again = jetStream.publish(message("work.orders", "job-1"));
                    assertThat(first.getSeqno()).isEqualTo(1);
                    assertThat(again.isDuplicate()).as("Nats-Msg-Id dedupe").isTrue();
                }

                nats.stop();
                nats.start();

                try (io.nats.client.Connection connection = Nats.connect(options(nats.natsUri()))) {
                    assertThat(connection.jetStreamManagement().getStreamInfo("WORK").getStreamState().getMsgCount())
                            .as("what JetStream acknowledged, after a restart").isEqualTo(1);
                }
                Options wrong = new Options.Builder().server("nats://" + nats.host() + ":" + nats.port())
                        .userInfo(NatsServer.LOCAL_USER, "wrong").maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).build();
                assertThatThrownBy(() -> Nats.connect(wrong).close()).isInstanceOf(IOException.class)
                        .hasMessageContaining("Authorization");
            }
        }

        private static io.nats.client.Message message(String subject, String id) {
            io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers().add("Nats-Msg-Id", id);
            return io.nats.client.impl.NatsMessage.builder().subject(subject).headers(headers)
                    .data("{\"n\":1}", StandardCharsets.UTF_8).build();
        }

        private static Options options(URI uri) {
            return new Options.Builder().server(uri.toString()).maxReconnects(0).connectionTimeout(Duration.ofSeconds(10)).build();
        }
    }

    @Nested
    class Mosquitto {

        @Test
        void aQos1MessageQueuedForAPersistentSessionSurvivesARestartAndAWrongPasswordIsRefused() throws Exception {
            try (MqttBroker mqtt = local(MqttBroker.NAME, MqttBroker.REMEDY, MqttBroker.localBinary(Env.system()), MqttBroker::new)) {
                String url = "tcp://" + mqtt.host() + ":" + mqtt.port();
                MqttClient worker = new MqttClient(url, "worker", new MemoryPersistence());
                worker.connect(options(MqttBroker.LOCAL_PASSWORD, false));
                worker.subscribe("work/orders", 1);
                worker.disconnect();
                worker.close();

                MqttClient publisher = new MqttClient(url, "publisher", new MemoryPersistence());
                publisher.connect(options(MqttBroker.LOCAL_PASSWORD, true));
                MqttMessage message = new MqttMessage("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                publisher.publish("work/orders", message); // returns after PUBACK
                publisher.disconnect();
                publisher.close();

                mqtt.stop();
                mqtt.start();

                java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
                MqttClient back = new MqttClient(url, "worker", new MemoryPersistence());
                back.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                    @Override public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) { }
                    @Override public void mqttErrorOccurred(MqttException exception) { }
                    @Override public void messageArrived(String topic, MqttMessage arrived) {
                        received.add(topic + " " + new String(arrived.getPayload(), StandardCharsets.UTF_8));
                    }
                    @Override public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) { }
                    @Override public void connectComplete(boolean reconnect, String serverURI) { }
                    @Override public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) { }
                });
                back.connect(options(MqttBroker.LOCAL_PASSWORD, false));
                assertThat(received.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("work/orders {\"n\":1}");
                back.disconnect();
                back.close();

                MqttClient intruder = new MqttClient(url, "intruder", new MemoryPersistence());
                assertThatThrownBy(() -> intruder.connect(options("wrong", true))).isInstanceOf(MqttException.class)
                        .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isIn(134, 135));
                intruder.close();
            }
        }

        /** A session that outlives the connection, so the broker queues QoS 1 messages for it while it is away. */
        private static MqttConnectionOptions options(String password, boolean cleanStart) {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(MqttBroker.LOCAL_USER);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
            options.setAutomaticReconnect(false);
            return options;
        }
    }
}
