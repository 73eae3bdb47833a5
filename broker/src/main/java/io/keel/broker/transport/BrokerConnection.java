package io.keel.broker.transport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.keel.broker.BrokerContext;
import io.keel.broker.admin.AdminHandler;
import io.keel.broker.consume.RawConsumer;
import io.keel.broker.delivery.DeliveryEngine;
import io.keel.broker.delivery.MessageFilter;
import io.keel.broker.delivery.SubscriptionSpec;
import io.keel.broker.delivery.Subscription;
import io.keel.broker.delivery.SubscriptionConsumer;
import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationId;
import io.keel.broker.destination.DestinationRegistry.DestinationException;
import io.keel.broker.produce.SendHandler;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.command.Subscribe;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.store.AppendCallback;
import io.keel.store.StoreException;
import io.netty.channel.ChannelHandlerContext;

/**
 * One client connection of the broker: produce, consume, route queries and administration.
 * Everything here runs on the connection's event loop.
 */
public final class BrokerConnection extends FrameHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrokerConnection.class);

    private final BrokerContext ctx;
    private final AdminHandler admin;
    private final Map<Long, RawConsumer> consumers = new HashMap<>();
    private final Map<Long, SubscriptionConsumer> jmsConsumers = new HashMap<>();
    private final Ack ack = new Ack();
    private SendHandler sends;
    private io.keel.broker.delivery.LocalTransactions transactions;
    private TransactionCommands transactionCommands;
    private String clientId;
    private final java.util.Set<DestinationId> temporaries = new java.util.HashSet<>();
    private final Map<Long, io.keel.broker.delivery.QueueBrowser> browsers = new HashMap<>();

    public BrokerConnection(BrokerContext ctx) {
        super("broker " + ctx.config().brokerName(), ctx.config().maxFrameSize(), ctx.config().heartbeatMillis());
        this.ctx = ctx;
        this.admin = new AdminHandler(ctx);
    }

    @Override
    protected java.util.concurrent.CompletableFuture<ErrorReply> authenticate(io.keel.protocol.command.Handshake.Request h) {
        return ctx.authenticator().authenticate(h.user(), h.password());
    }

    @Override
    protected ErrorReply admit(io.keel.protocol.command.Handshake.Request h) {
        if (h.clientId() != null && !claimClientId(h.clientId())) {
            return new ErrorReply(ErrorCode.CLIENT_ID_IN_USE, "client id '" + h.clientId()
                    + "' is already in use by another connection to broker " + ctx.config().brokerName());
        }
        clientId = h.clientId();
        return null;
    }

    private boolean claimClientId(String id) {
        return !id.isEmpty() && ctx.clientIds().claim(id, channel);
    }

    @Override
    public void channelReadComplete(io.netty.channel.ChannelHandlerContext c) throws Exception {
        if (sends != null) {
            sends.flushIfPending();
        }
        super.channelReadComplete(c);
    }

    @Override
    protected void onOpen() {
        transactions = new io.keel.broker.delivery.LocalTransactions(ctx.delivery());
        transactionCommands = new TransactionCommands(channel, ctx.delivery(), transactions, jmsConsumers);
        sends = new SendHandler(ctx.store(), ctx.destinations(), ctx.config().maxMessageSize(), channel,
                ctx.delivery().delays(), transactions, ctx.delivery().producers(), ctx.config().forceOnEventLoop());
        sends.origin(ClientIds.origin(clientId, connectionId));
        transactions.origin(ClientIds.origin(clientId, connectionId));
        ctx.connections().add(channel);
    }

    private void setClientId(Frame frame) {
        String id = io.keel.protocol.frame.Wire.readString(frame.body(), "client id");
        io.keel.protocol.frame.Wire.end(frame.body(), "set client id");
        if (clientId != null) {
            reply(frame, ErrorCode.INVALID_REQUEST, "the connection already has client id '" + clientId + "'");
            return;
        }
        if (id == null || !claimClientId(id)) {
            reply(frame, ErrorCode.CLIENT_ID_IN_USE, "client id '" + id + "' is "
                    + (id == null || id.isEmpty() ? "empty" : "already in use by another connection to broker "
                    + ctx.config().brokerName()));
            return;
        }
        clientId = id;
        sends.origin(ClientIds.origin(clientId, connectionId));
        transactions.origin(ClientIds.origin(clientId, connectionId));
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.SET_CLIENT_ID, FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }

    /** The client id: a client that closes and reconnects at once may claim it again. */
    @Override
    protected void releaseOnClose() {
        if (clientId != null) {
            ctx.clientIds().release(clientId, channel);
        }
    }

    @Override
    protected void onCommand(Frame frame) {
        switch (frame.command()) {
            case CommandCode.SEND -> sends.onSend(frame.body(), frame.correlationId());
            case CommandCode.SEND_BATCH -> sends.onSendBatch(frame.body(), frame.correlationId());
            case CommandCode.SUBSCRIBE -> subscribe(frame);
            case CommandCode.CREDIT -> credit(frame);
            case CommandCode.ACK -> ack(frame);
            case CommandCode.CLOSE_CONSUMER -> closeConsumer(frame);
            case CommandCode.CREATE_CONSUMER -> createConsumer(frame);
            case CommandCode.RELEASE -> release(frame, false);
            case CommandCode.RECOVER -> release(frame, true);
            case CommandCode.UNSUBSCRIBE -> unsubscribe(frame);
            case CommandCode.SET_CLIENT_ID -> setClientId(frame);
            case CommandCode.CREATE_TEMPORARY -> createTemporary(frame);
            case CommandCode.CREATE_BROWSER -> createBrowser(frame);
            case CommandCode.BROWSE_NEXT -> browseNext(frame);
            case CommandCode.DELETE_TEMPORARY -> deleteTemporary(frame);
            case CommandCode.TXN_ACK -> transactionCommands.onAck(frame);
            case CommandCode.TXN_COMMIT -> transactionCommands.onCommit(frame);
            case CommandCode.TXN_ROLLBACK -> transactionCommands.onRollback(frame);
            case CommandCode.ROUTE_QUERY -> route(frame);
            case CommandCode.ADMIN_CREATE, CommandCode.ADMIN_DELETE, CommandCode.ADMIN_LIST, CommandCode.ADMIN_STATS,
                    CommandCode.ADMIN_PURGE, CommandCode.ADMIN_SUBSCRIPTIONS, CommandCode.ADMIN_CONFIGURE -> admin.handle(channel, frame);
            case CommandCode.BROKER_REGISTER, CommandCode.BROKER_UNREGISTER ->
                reply(frame, ErrorCode.INVALID_REQUEST, "this is a broker port, not a name server");
            default -> unknownCommand(frame);
        }
    }

    private void subscribe(Frame frame) {
        Subscribe s = Subscribe.decode(frame.body());
        if (consumers.containsKey(s.consumerId())) {
            reply(frame, ErrorCode.INVALID_REQUEST, "consumer id " + s.consumerId() + " is already used on this connection");
            return;
        }
        Destination d;
        try {
            d = ctx.destinations().resolve(s.type(), s.destination());
        } catch (DestinationException e) {
            reply(frame, ErrorCode.INVALID_DESTINATION, e.getMessage());
            return;
        }
        RawConsumer c;
        try {
            c = new RawConsumer(s.consumerId(), channel, ctx.store(), d, s);
        } catch (IllegalArgumentException e) {
            reply(frame, ErrorCode.INVALID_REQUEST, e.getMessage());
            return;
        }
        consumers.put(s.consumerId(), c);
        d.consumers().incrementAndGet();
        ctx.consumers().add(c);
        channel.writeAndFlush(Subscribe.responseFrame(channel.alloc(), frame.correlationId(), c.positions()));
        c.pump();
    }

    private void createConsumer(Frame frame) {
        CreateConsumer cc = CreateConsumer.decode(frame.body());
        if (consumers.containsKey(cc.consumerId()) || jmsConsumers.containsKey(cc.consumerId())) {
            reply(frame, ErrorCode.INVALID_REQUEST, "consumer id " + cc.consumerId() + " is already used on this connection");
            return;
        }
        if ((cc.kind() == CreateConsumer.KIND_QUEUE) != cc.type().isQueue()) {
            reply(frame, ErrorCode.INVALID_REQUEST, cc.type().isQueue()
                    ? "a queue has no subscriptions: consume it directly"
                    : "a topic is consumed through a subscription (durable, shared or not)");
            return;
        }
        MessageFilter filter;
        try {
            filter = ctx.delivery().filter(cc.selector());
        } catch (IllegalArgumentException e) {
            reply(frame, ErrorCode.INVALID_SELECTOR, e.getMessage());
            return;
        }
        Destination d;
        try {
            d = ctx.destinations().resolve(cc.type(), cc.destination());
        } catch (DestinationException e) {
            reply(frame, ErrorCode.INVALID_DESTINATION, e.getMessage());
            return;
        }
        if (d.id().type().isTemporary() && d.owner() != connectionId) {
            reply(frame, ErrorCode.INVALID_DESTINATION, "only the connection that created " + d.id()
                    + " may consume from it");
            return;
        }
        Subscription s;
        try {
            s = cc.type().isQueue() ? ctx.delivery().queueSubscription(d)
                    : ctx.delivery().topicSubscription(d, kindOf(cc.kind()), cc.subscription(), clientId(),
                            cc.selector(), cc.noLocal());
        } catch (DeliveryEngine.SubscriptionException e) {
            reply(frame, ErrorCode.INVALID_REQUEST, e.getMessage());
            return;
        }
        long noLocalOrigin = cc.noLocal() && !cc.type().isQueue() && !s.spec().kind().shared()
                ? ClientIds.origin(clientId, connectionId) : SubscriptionConsumer.NO_ORIGIN;
        java.util.concurrent.CompletableFuture<Void> ready = d.storageReady();
        if (ready.isDone()) {
            channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CREATE_CONSUMER,
                    FrameLayout.FLAG_RESPONSE, frame.correlationId()));
            jmsConsumers.put(cc.consumerId(), ctx.delivery().openConsumer(cc.consumerId(), channel, s, filter,
                    noLocalOrigin, cc.creditMessages(), cc.creditBytes()));
            return;
        }
        // A destination this consumer just created: answered once its files exist (Destination#storageReady).
        // The consumer is open from now on (closed with the connection like any other) but has no credit,
        // so nothing is pushed before the answer; the client waits for the answer before it uses it.
        SubscriptionConsumer consumer = ctx.delivery().openConsumer(cc.consumerId(), channel, s, filter, noLocalOrigin,
                0, 0);
        jmsConsumers.put(cc.consumerId(), consumer);
        int correlationId = frame.correlationId();
        ready.whenComplete((v, e) -> channel.eventLoop().execute(() -> {
            if (consumer.isClosed() || !channel.isActive()) {
                return;
            }
            channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CREATE_CONSUMER,
                    FrameLayout.FLAG_RESPONSE, correlationId));
            consumer.credit(cc.creditMessages(), cc.creditBytes());
        }));
    }

    private void createBrowser(Frame frame) {
        io.keel.protocol.command.Browse.Open o = io.keel.protocol.command.Browse.Open.decode(frame.body());
        if (!o.type().isQueue()) {
            reply(frame, ErrorCode.INVALID_DESTINATION, "only queues can be browsed, not " + o.type());
            return;
        }
        if (browsers.containsKey(o.browserId()) || jmsConsumers.containsKey(o.browserId())) {
            reply(frame, ErrorCode.INVALID_REQUEST, "id " + o.browserId() + " is already used on this connection");
            return;
        }
        MessageFilter filter;
        Destination d;
        try {
            filter = ctx.delivery().filter(o.selector());
            d = ctx.destinations().resolve(o.type(), o.destination());
        } catch (IllegalArgumentException e) {
            reply(frame, ErrorCode.INVALID_SELECTOR, e.getMessage());
            return;
        } catch (DestinationException e) {
            reply(frame, ErrorCode.INVALID_DESTINATION, e.getMessage());
            return;
        }
        browsers.put(o.browserId(), new io.keel.broker.delivery.QueueBrowser(ctx.store(),
                ctx.delivery().queueSubscription(d), filter));
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CREATE_BROWSER, FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }

    private void browseNext(Frame frame) {
        io.keel.protocol.frame.Wire.need(frame.body(), 12, "browse next");
        long id = frame.body().readLong();
        int max = frame.body().readInt();
        io.keel.protocol.frame.Wire.end(frame.body(), "browse next");
        io.keel.broker.delivery.QueueBrowser b = browsers.get(id);
        if (b == null) {
            reply(frame, ErrorCode.INVALID_REQUEST, "browser " + id + " is not open on this connection");
            return;
        }
        io.netty.buffer.ByteBuf page = io.keel.protocol.command.Browse.beginPage(channel.alloc(), frame.correlationId());
        boolean done;
        try {
            done = b.next(Math.max(1, Math.min(max, 1000)), page);
        } catch (RuntimeException e) {
            page.release();
            throw e;
        }
        channel.writeAndFlush(io.keel.protocol.command.Browse.endPage(page, done));
    }

    private void createTemporary(Frame frame) {
        io.keel.protocol.frame.Wire.need(frame.body(), 1, "create temporary type");
        io.keel.protocol.DestinationType type = io.keel.protocol.DestinationType.of(frame.body().readByte());
        // An optional name: a client that reconnected after a failover takes its temporary destinations back.
        String reclaimed = frame.body().isReadable() ? io.keel.protocol.frame.Wire.readString(frame.body(),
                "create temporary name") : null;
        io.keel.protocol.frame.Wire.end(frame.body(), "create temporary");
        if (!type.isTemporary()) {
            reply(frame, ErrorCode.INVALID_REQUEST, type + " is not a temporary destination type");
            return;
        }
        Destination d;
        try {
            d = reclaimed == null ? ctx.destinations().createTemporary(type, connectionId)
                    : ctx.destinations().reclaimTemporary(type, reclaimed, connectionId);
        } catch (DestinationException e) {
            reply(frame, e.getMessage().contains("owned by") ? ErrorCode.ALREADY_EXISTS : ErrorCode.INVALID_DESTINATION,
                    e.getMessage());
            return;
        }
        temporaries.add(d.id());
        io.netty.buffer.ByteBuf b = FrameLayout.begin(channel.alloc(), 64, CommandCode.CREATE_TEMPORARY,
                FrameLayout.FLAG_RESPONSE, frame.correlationId());
        io.keel.protocol.frame.Wire.writeString(b, d.id().name());
        channel.writeAndFlush(FrameLayout.end(b));
    }

    private void deleteTemporary(Frame frame) {
        io.keel.protocol.frame.Wire.need(frame.body(), 1, "delete temporary type");
        io.keel.protocol.DestinationType type = io.keel.protocol.DestinationType.of(frame.body().readByte());
        String name = io.keel.protocol.frame.Wire.readString(frame.body(), "delete temporary name");
        io.keel.protocol.frame.Wire.end(frame.body(), "delete temporary");
        DestinationId id = new DestinationId(type, name);
        Destination d = ctx.destinations().get(id);
        if (d == null || !type.isTemporary() || d.owner() != connectionId) {
            reply(frame, ErrorCode.INVALID_DESTINATION, id + " is not a temporary destination of this connection");
            return;
        }
        if (d.consumers().get() > 0) {
            reply(frame, ErrorCode.INVALID_REQUEST, id + " has " + d.consumers().get()
                    + " active consumers; close them before deleting it");
            return;
        }
        removeTemporary(id);
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.DELETE_TEMPORARY, FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }

    private void removeTemporary(DestinationId id) {
        temporaries.remove(id);
        ctx.destinations().removeTemporary(id);
        ctx.delivery().destinationRemoved(id);
    }

    private static SubscriptionSpec.Kind kindOf(byte kind) {
        return switch (kind) {
            case CreateConsumer.KIND_DURABLE -> SubscriptionSpec.Kind.DURABLE;
            case CreateConsumer.KIND_SHARED_DURABLE -> SubscriptionSpec.Kind.SHARED_DURABLE;
            case CreateConsumer.KIND_SHARED_NON_DURABLE -> SubscriptionSpec.Kind.SHARED_NON_DURABLE;
            default -> SubscriptionSpec.Kind.NON_DURABLE;
        };
    }

    /** The client id of the connection (from its handshake or SET_CLIENT_ID), or null. */
    private String clientId() {
        return clientId;
    }

    private void unsubscribe(Frame frame) {
        String name = io.keel.protocol.frame.Wire.readString(frame.body(), "unsubscribe name");
        io.keel.protocol.frame.Wire.end(frame.body(), "unsubscribe");
        try {
            ctx.delivery().unsubscribe(clientId(), name);
        } catch (DeliveryEngine.SubscriptionException e) {
            reply(frame, e.unknown ? ErrorCode.INVALID_DESTINATION : ErrorCode.INVALID_REQUEST, e.getMessage());
            return;
        }
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.UNSUBSCRIBE, FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }

    /** RELEASE (back for redelivery, counted) or RECOVER (those, and the rest the consumer holds uncounted). */
    private void release(Frame frame, boolean recover) {
        ack.decode(frame.body());
        SubscriptionConsumer c = jmsConsumers.get(ack.consumerId);
        if (c == null) {
            reply(frame, ErrorCode.INVALID_REQUEST, "consumer " + ack.consumerId + " is not open on this connection");
            return;
        }
        if (recover) {
            ctx.delivery().recover(c, ack.queueIds, ack.queueOffsets, ack.count);
        } else {
            ctx.delivery().release(c, ack.queueIds, ack.queueOffsets, ack.count);
        }
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), frame.command(), FrameLayout.FLAG_RESPONSE,
                frame.correlationId()), channel.voidPromise());
    }

    private void credit(Frame frame) {
        Credit credit = Credit.decode(frame.body());
        RawConsumer c = consumers.get(credit.consumerId());
        if (c != null) {
            c.credit(credit.messages(), credit.bytes());
            return;
        }
        SubscriptionConsumer j = jmsConsumers.get(credit.consumerId());
        if (j != null) {
            j.credit(credit.messages(), credit.bytes());
        }
    }

    /**
     * ACK: settles messages. A request is answered once the acknowledgement is forced. A one-way ACK
     * (a JMS session's automatic acknowledgement, which nobody waits for) is settled at once and its
     * record rides along with the next force instead of costing one of its own.
     */
    private void ack(Frame frame) {
        ack.decode(frame.body());
        boolean oneway = frame.isOneWay();
        SubscriptionConsumer j = jmsConsumers.get(ack.consumerId);
        if (j != null) {
            if (oneway) {
                ctx.delivery().acknowledge(j, ack.queueIds, ack.queueOffsets, ack.count, false, UNANSWERED_ACK);
                return;
            }
            int id = frame.correlationId();
            ctx.delivery().acknowledge(j, ack.queueIds, ack.queueOffsets, ack.count, true, new AppendCallback() {
                @Override
                public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                    channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.ACK, FrameLayout.FLAG_RESPONSE,
                            id), channel.voidPromise());
                }

                @Override
                public void failed(StoreException error) {
                    channel.writeAndFlush(ErrorReply.frame(channel.alloc(), CommandCode.ACK, id, ErrorCode.INTERNAL,
                            "acknowledgement not recorded: " + error.getMessage()), channel.voidPromise());
                }
            });
            return;
        }
        RawConsumer c = consumers.get(ack.consumerId);
        if (c == null) {
            reply(frame, ErrorCode.INVALID_REQUEST, "consumer " + ack.consumerId + " is not open on this connection");
            return;
        }
        for (int i = 0; i < ack.count; i++) {
            if (ack.queueIds[i] >= 0 && ack.queueIds[i] < c.destination().storeQueueCount()) {
                c.destination().acked(ack.queueIds[i], ack.queueOffsets[i]);
            }
        }
        if (!oneway) {
            channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.ACK, FrameLayout.FLAG_RESPONSE,
                    frame.correlationId()), channel.voidPromise());
        }
    }

    /** A one-way ACK's record failed: nobody waits; the messages stay settled in memory (logged). */
    private static final AppendCallback UNANSWERED_ACK = new AppendCallback() {
        @Override
        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
        }

        @Override
        public void failed(StoreException error) {
            LOG.warn("an acknowledgement was not recorded (it is lost if the broker restarts): {}", error.getMessage());
        }
    };

    private void closeConsumer(Frame frame) {
        Credit.Close close = Credit.decodeClose(frame.body());
        long id = close.consumerId();
        if (browsers.remove(id) != null) {
            channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CLOSE_CONSUMER,
                    FrameLayout.FLAG_RESPONSE, frame.correlationId()));
            return;
        }
        SubscriptionConsumer j = jmsConsumers.remove(id);
        if (j != null) {
            ctx.delivery().closeConsumer(j, close.unseen());
            channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CLOSE_CONSUMER,
                    FrameLayout.FLAG_RESPONSE, frame.correlationId()));
            return;
        }
        RawConsumer c = consumers.remove(id);
        if (c == null) {
            reply(frame, ErrorCode.INVALID_REQUEST, "consumer " + id + " is not open on this connection");
            return;
        }
        release(c);
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), CommandCode.CLOSE_CONSUMER, FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }

    /** A broker answers route queries about itself, so clients may connect to it directly. */
    private void route(Frame frame) {
        RouteData.Query q = RouteData.decodeQuery(frame.body());
        Destination d = ctx.destinations().get(new DestinationId(q.type(), q.destination()));
        int queues = d != null ? d.queueCount()
                : ctx.config().autoCreateDestinations() && !q.type().isTemporary() ? ctx.config().defaultQueueCount() : 0;
        int port = channel.localAddress() instanceof java.net.InetSocketAddress a ? a.getPort() : ctx.config().brokerPort();
        List<RouteData.BrokerRoute> routes = queues == 0 ? List.of() : List.of(new RouteData.BrokerRoute(
                ctx.config().brokerName(), ctx.config().advertisedAddress() + ":" + port, queues));
        channel.writeAndFlush(new RouteData(routes).responseFrame(channel.alloc(), frame.correlationId()));
    }

    private void release(RawConsumer c) {
        c.close();
        c.destination().consumers().decrementAndGet();
        ctx.consumers().remove(c);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) throws Exception {
        boolean writable = c.channel().isWritable();
        // A client that does not read its answers must not make the broker buffer them without bound.
        c.channel().config().setAutoRead(writable);
        if (writable) {
            for (RawConsumer consumer : consumers.values()) {
                consumer.pump();
            }
            for (SubscriptionConsumer consumer : jmsConsumers.values()) {
                consumer.pump();
            }
        }
        super.channelWritabilityChanged(c);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        state = State.CLOSED;
        for (RawConsumer consumer : consumers.values()) {
            release(consumer);
        }
        consumers.clear();
        // The connection is gone: its open transactions roll back, and whatever its consumers held goes
        // back, flagged as redelivered.
        if (transactions != null) {
            transactions.rollbackAll();
        }
        for (SubscriptionConsumer consumer : jmsConsumers.values()) {
            ctx.delivery().closeConsumer(consumer);
        }
        jmsConsumers.clear();
        // Temporary destinations live exactly as long as their connection.
        for (DestinationId id : new java.util.ArrayList<>(temporaries)) {
            removeTemporary(id);
        }
        super.channelInactive(c);
    }
}
