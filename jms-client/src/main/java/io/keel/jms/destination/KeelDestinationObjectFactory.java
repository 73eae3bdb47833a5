package io.keel.jms.destination;

import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.Name;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;

import io.keel.protocol.DestinationType;

/**
 * Turns the JNDI {@link Reference} of a {@link KeelDestination} (see {@link KeelDestination#getReference()})
 * back into the destination. Returns null for any other reference, as the {@link ObjectFactory} contract
 * asks, so that other factories may be tried. A temporary destination comes back without an owner.
 */
public class KeelDestinationObjectFactory implements ObjectFactory {

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment) {
        if (!(obj instanceof Reference r) || !getClass().getName().equals(r.getFactoryClassName())) {
            return null;
        }
        RefAddr type = r.get(KeelDestination.ADDR_TYPE);
        RefAddr physical = r.get(KeelDestination.ADDR_NAME);
        if (type == null || physical == null || !(type.getContent() instanceof String t)
                || !(physical.getContent() instanceof String n)) {
            return null;
        }
        DestinationType kind;
        try {
            kind = DestinationType.valueOf(t);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        return KeelDestination.of(kind, n);
    }
}
