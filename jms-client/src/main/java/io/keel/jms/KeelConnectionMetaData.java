package io.keel.jms;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.ConnectionMetaData;

/** What a Keel connection supports: Jakarta Messaging 3.1 and the JMSX properties Keel sets or honours. */
final class KeelConnectionMetaData implements ConnectionMetaData {

    /** JMSXDeliveryCount is set on every delivery; JMSXGroupID and JMSXGroupSeq drive message groups. */
    static final List<String> JMSX_PROPERTIES = List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");

    @Override
    public String getJMSVersion() {
        return "3.1";
    }

    @Override
    public int getJMSMajorVersion() {
        return 3;
    }

    @Override
    public int getJMSMinorVersion() {
        return 1;
    }

    @Override
    public String getJMSProviderName() {
        return "Keel";
    }

    @Override
    public String getProviderVersion() {
        String v = KeelConnectionMetaData.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public int getProviderMajorVersion() {
        return 0;
    }

    @Override
    public int getProviderMinorVersion() {
        return 1;
    }

    @Override
    public Enumeration<String> getJMSXPropertyNames() {
        return Collections.enumeration(JMSX_PROPERTIES);
    }
}
