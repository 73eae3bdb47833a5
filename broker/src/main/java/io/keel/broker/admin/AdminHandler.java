package io.keel.broker.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keel.broker.BrokerContext;
import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationRegistry.DestinationException;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.keel.store.StoreMetrics;
import io.netty.channel.Channel;

/** The administration commands: create, delete, list (with depth and consumers), purge, stats. */
public final class AdminHandler {

    private final BrokerContext ctx;

    public AdminHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    public void handle(Channel channel, Frame frame) {
        short command = frame.command();
        int id = frame.correlationId();
        try {
            switch (command) {
                case CommandCode.ADMIN_CREATE -> {
                    AdminCommands.Target t = AdminCommands.Target.decode(frame.body(), command);
                    int queues = t.queueCount() <= 0 ? ctx.config().defaultQueueCount() : t.queueCount();
                    ctx.destinations().createExplicitly(t.type(), t.name(), queues);
                    channel.writeAndFlush(AdminCommands.empty(channel.alloc(), command, FrameLayout.FLAG_RESPONSE, id));
                }
                case CommandCode.ADMIN_DELETE -> {
                    AdminCommands.Target t = AdminCommands.Target.decode(frame.body(), command);
                    Destination d = ctx.destinations().get(new io.keel.broker.destination.DestinationId(t.type(), t.name()));
                    if (d != null && d.consumers().get() > 0) {
                        throw new DestinationException(d.id() + " has " + d.consumers().get()
                                + " active consumers; close them before deleting it");
                    }
                    ctx.destinations().delete(t.type(), t.name());
                    ctx.delivery().destinationRemoved(new io.keel.broker.destination.DestinationId(t.type(), t.name()));
                    channel.writeAndFlush(AdminCommands.empty(channel.alloc(), command, FrameLayout.FLAG_RESPONSE, id));
                }
                case CommandCode.ADMIN_PURGE -> {
                    AdminCommands.Target t = AdminCommands.Target.decode(frame.body(), command);
                    long purged = ctx.destinations().purge(t.type(), t.name());
                    ctx.delivery().purged(ctx.destinations().get(new io.keel.broker.destination.DestinationId(t.type(),
                            t.name())));
                    channel.writeAndFlush(AdminCommands.purgeResponse(channel.alloc(), id, purged));
                }
                case CommandCode.ADMIN_LIST -> {
                    Wire.end(frame.body(), "admin list");
                    List<AdminCommands.DestinationInfo> list = new ArrayList<>();
                    for (Destination d : ctx.destinations().all()) {
                        // A queue consumed through the delivery engine: unsettled messages and leases.
                        io.keel.broker.delivery.Subscription s = ctx.delivery().existingQueueSubscription(d.id());
                        long depth = s != null ? s.depth(ctx.store()) : d.depth(ctx.store());
                        long inFlight = s != null ? s.inFlight() : 0;
                        long deadLettered = 0;
                        long expired = 0;
                        for (io.keel.broker.delivery.Subscription sub : ctx.delivery().subscriptions()) {
                            if (sub.destination() == d) { // a queue's own subscription, or every one of a topic
                                deadLettered += sub.deadLettered();
                                expired += sub.expired();
                            }
                        }
                        list.add(new AdminCommands.DestinationInfo(d.id().type(), d.id().name(), d.queueCount(), depth,
                                d.consumers().get(), d.enqueuedCount(), inFlight, deadLettered, expired));
                    }
                    channel.writeAndFlush(AdminCommands.listResponse(channel.alloc(), id, list));
                }
                case CommandCode.ADMIN_SUBSCRIPTIONS -> {
                    Wire.end(frame.body(), "admin subscriptions");
                    List<AdminCommands.SubscriptionInfo> list = new ArrayList<>();
                    for (io.keel.broker.delivery.Subscription sub : ctx.delivery().subscriptions()) {
                        io.keel.broker.delivery.SubscriptionSpec spec = sub.spec();
                        list.add(new AdminCommands.SubscriptionInfo(spec.destination().type(), spec.destination().name(),
                                spec.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), spec.name(),
                                spec.clientId(), spec.selector(), sub.depth(ctx.store()), sub.inFlight(),
                                sub.consumers().size(), sub.deadLettered(), sub.expired()));
                    }
                    list.sort(java.util.Comparator.comparing(AdminCommands.SubscriptionInfo::destination));
                    channel.writeAndFlush(AdminCommands.subscriptionsResponse(channel.alloc(), id, list));
                }
                case CommandCode.ADMIN_CONFIGURE -> {
                    AdminCommands.Configure c = AdminCommands.Configure.decode(frame.body());
                    Destination d = ctx.destinations().get(new io.keel.broker.destination.DestinationId(c.type(), c.name()));
                    if (d == null) {
                        throw new DestinationException(c.type().name().toLowerCase(java.util.Locale.ROOT) + " '"
                                + c.name() + "' does not exist");
                    }
                    if (!c.changes().isEmpty()) {
                        java.util.Map<String, String> merged = new java.util.TreeMap<>(d.settingOverrides());
                        c.changes().forEach((k, v) -> {
                            if (v.isEmpty()) {
                                merged.remove(k);
                            } else {
                                merged.put(k, v);
                            }
                        });
                        try {
                            ctx.delivery().settings().with(merged);
                        } catch (IllegalArgumentException e) {
                            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), command, id, ErrorCode.INVALID_REQUEST,
                                    d.id() + ": " + e.getMessage()));
                            return;
                        }
                        ctx.destinations().configure(c.type(), c.name(), c.changes());
                    }
                    channel.writeAndFlush(AdminCommands.configureResponse(channel.alloc(), id,
                            ctx.delivery().settings(d).describe()));
                }
                case CommandCode.ADMIN_STATS -> {
                    Wire.end(frame.body(), "admin stats");
                    channel.writeAndFlush(AdminCommands.statsResponse(channel.alloc(), id, stats()));
                }
                default -> throw new IllegalStateException("not an admin command: " + CommandCode.name(command));
            }
        } catch (DestinationException e) {
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), command, id,
                    e.alreadyExists() ? ErrorCode.ALREADY_EXISTS : ErrorCode.INVALID_DESTINATION, e.getMessage()));
        }
    }

    private Map<String, String> stats() {
        Map<String, String> s = new LinkedHashMap<>();
        StoreMetrics m = ctx.store().metrics();
        s.put("broker.name", ctx.config().brokerName());
        s.put("broker.uptimeSeconds", Long.toString((System.currentTimeMillis() - ctx.startedAtMillis()) / 1000));
        s.put("broker.destinations", Integer.toString(ctx.destinations().all().size()));
        s.put("broker.consumers", Integer.toString(ctx.consumers().size()));
        s.put("store.dataDir", ctx.store().config().dataDirectory().toString());
        s.put("store.flushMode", ctx.store().config().flushMode().name());
        s.put("store.appendedRecords", Long.toString(m.appendedRecords()));
        s.put("store.appendedBytes", Long.toString(m.appendedBytes()));
        s.put("store.flushes", Long.toString(m.flushes()));
        s.put("store.callerFlushes", Long.toString(m.callerFlushes()));
        s.put("store.averageFlushMicros", Long.toString(m.averageFlushMicros()));
        s.put("store.maxFlushMicros", Long.toString(m.maxFlushMicros()));
        s.put("store.writtenOffset", Long.toString(m.writtenOffset()));
        s.put("store.dispatchLagBytes", Long.toString(m.dispatchLagBytes()));
        s.put("store.queues", Integer.toString(m.queueCount()));
        return s;
    }
}
