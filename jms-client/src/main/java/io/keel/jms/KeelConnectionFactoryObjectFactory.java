package io.keel.jms;

import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.Name;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;

/** Recreates a {@link KeelConnectionFactory} or {@link KeelXAConnectionFactory} from its JNDI {@link Reference} (the URL). */
public class KeelConnectionFactoryObjectFactory implements ObjectFactory {

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment) {
        if (obj instanceof Reference r) {
            boolean plain = KeelConnectionFactory.class.getName().equals(r.getClassName());
            boolean xa = KeelXAConnectionFactory.class.getName().equals(r.getClassName());
            RefAddr url = r.get("url");
            if ((plain || xa) && url != null) {
                String u = (String) url.getContent();
                return xa ? new KeelXAConnectionFactory(u) : new KeelConnectionFactory(u);
            }
        }
        return null;
    }
}
