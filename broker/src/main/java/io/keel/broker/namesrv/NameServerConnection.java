package io.keel.broker.namesrv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.transport.FrameHandler;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;

/** A connection to the name server: brokers register, clients ask for routes. */
final class NameServerConnection extends FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NameServerConnection.class);

    private final RouteTable routes;

    NameServerConnection(RouteTable routes, int maxFrameSize, int heartbeatMillis) {
        super("name server", maxFrameSize, heartbeatMillis);
        this.routes = routes;
    }

    @Override
    protected void onCommand(Frame frame) {
        switch (frame.command()) {
            case CommandCode.BROKER_REGISTER -> {
                BrokerRegistration r = BrokerRegistration.decode(frame.body());
                if (routes.register(r, System.currentTimeMillis())) {
                    LOG.info("name server: broker '{}' at {} registered with {} destinations", r.brokerName(), r.address(),
                            r.destinations().size());
                }
                ok(frame);
            }
            case CommandCode.BROKER_UNREGISTER -> {
                String name = BrokerRegistration.decodeUnregister(frame.body());
                if (routes.unregister(name)) {
                    LOG.info("name server: broker '{}' unregistered", name);
                }
                ok(frame);
            }
            case CommandCode.ROUTE_QUERY -> {
                RouteData.Query q = RouteData.decodeQuery(frame.body());
                channel.writeAndFlush(routes.route(q.type(), q.destination()).responseFrame(channel.alloc(),
                        frame.correlationId()));
            }
            default -> unknownCommand(frame);
        }
    }

    private void ok(Frame frame) {
        channel.writeAndFlush(AdminCommands.empty(channel.alloc(), frame.command(), FrameLayout.FLAG_RESPONSE,
                frame.correlationId()));
    }
}
