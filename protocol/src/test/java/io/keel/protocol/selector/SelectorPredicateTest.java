package io.keel.protocol.selector;

import static io.keel.protocol.selector.Messages.assertTruth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.keel.protocol.message.MessageData;

/**
 * Evaluation tables for BETWEEN, IN, LIKE, IS NULL, the header identifiers and keyword case, on
 * {@link Messages#standard()}, decoded and encoded, and negated with NOT (see {@link SelectorEvaluationTest}).
 */
class SelectorPredicateTest {

    private static final MessageData M = Messages.standard();

    private static void check(String selector, Truth expected) {
        assertTruth(M, selector, expected, null);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            i BETWEEN 1 AND 5            => TRUE
            i BETWEEN 3 AND 3            => TRUE
            i BETWEEN 3 AND 5            => TRUE
            i BETWEEN 1 AND 3            => TRUE
            i BETWEEN 4 AND 5            => FALSE
            i BETWEEN 1 AND 2            => FALSE
            i BETWEEN 5 AND 1            => FALSE
            i NOT BETWEEN 4 AND 5        => TRUE
            i NOT BETWEEN 1 AND 2        => TRUE
            i NOT BETWEEN 3 AND 5        => FALSE
            i NOT BETWEEN 1 AND 3        => FALSE
            n BETWEEN 1 AND 5            => UNKNOWN
            n NOT BETWEEN 1 AND 5        => UNKNOWN
            missing BETWEEN 1 AND 5      => UNKNOWN
            i BETWEEN n AND 5            => UNKNOWN
            i BETWEEN n AND 2            => FALSE
            i NOT BETWEEN n AND 2        => TRUE
            i NOT BETWEEN n AND 5        => UNKNOWN
            d BETWEEN 2 AND 3            => TRUE
            fl BETWEEN 1.5 AND 1.5       => TRUE
            i BETWEEN 2.5 AND 3.5        => TRUE
            i BETWEEN i - 1 AND i + 1    => TRUE
            by BETWEEN -1 AND +1         => TRUE
            JMSPriority BETWEEN 5 AND 9  => TRUE
            JMSTimestamp BETWEEN 1700000000000 AND 1700000000001 => TRUE
            """)
    void between(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            s IN ('red')                    => TRUE
            s IN ('blue', 'red', 'green')   => TRUE
            s IN ('blue','green')           => FALSE
            s IN ('RED')                    => FALSE
            s NOT IN ('blue')               => TRUE
            s NOT IN ('red', 'blue')        => FALSE
            n IN ('red')                    => UNKNOWN
            n NOT IN ('red')                => UNKNOWN
            missing IN ('red')              => UNKNOWN
            missing NOT IN ('red')          => UNKNOWN
            e IN ('')                       => TRUE
            q IN ('it''s', 'x')             => TRUE
            uni IN ('héllo wörld 😀')        => TRUE
            JMSType IN ('bus', 'car')       => TRUE
            JMSType NOT IN ('car')          => FALSE
            JMSDeliveryMode IN ('PERSISTENT') => TRUE
            """)
    void in(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            s LIKE 'red'                    => TRUE
            s LIKE 're_'                    => TRUE
            s LIKE 'r%'                     => TRUE
            s LIKE '%'                      => TRUE
            s LIKE '%%'                     => TRUE
            e LIKE '%'                      => TRUE
            e LIKE '_'                      => FALSE
            e LIKE ''                       => TRUE
            s LIKE ''                       => FALSE
            s LIKE '_'                      => FALSE
            s LIKE '___'                    => TRUE
            s LIKE '____'                   => FALSE
            s LIKE '%d'                     => TRUE
            s LIKE '%e%'                    => TRUE
            s LIKE '%x%'                    => FALSE
            s LIKE 'R%'                     => FALSE
            s LIKE 'r%d%'                   => TRUE
            s LIKE '%_%_%_%'                => TRUE
            s LIKE '%_%_%_%_%'              => FALSE
            s NOT LIKE 'r%'                 => FALSE
            s NOT LIKE 'b%'                 => TRUE
            n LIKE '%'                      => UNKNOWN
            n NOT LIKE '%'                  => UNKNOWN
            missing LIKE 'a'                => UNKNOWN
            phone1 LIKE '12%3'              => TRUE
            phone2 LIKE '12%3'              => TRUE
            phone3 LIKE '12%3'              => FALSE
            phone1 NOT LIKE '12%3'          => FALSE
            phone3 NOT LIKE '12%3'          => TRUE
            word1 LIKE 'l_se'               => TRUE
            word2 LIKE 'l_se'               => FALSE
            under LIKE '\\_%' ESCAPE '\\'    => TRUE
            s LIKE '\\_%' ESCAPE '\\'        => FALSE
            pct LIKE '100!%' ESCAPE '!'     => TRUE
            pct LIKE '1!%' ESCAPE '!'       => FALSE
            pct LIKE '%!%' ESCAPE '!'       => TRUE
            s LIKE '%!%' ESCAPE '!'         => FALSE
            bang LIKE 'a!!b' ESCAPE '!'     => TRUE
            bang LIKE 'a!!_' ESCAPE '!'     => TRUE
            bang LIKE 'a!_' ESCAPE '!'      => FALSE
            under LIKE 'x_foo' ESCAPE 'x'   => TRUE
            under LIKE '__foo' ESCAPE '_'   => TRUE
            q LIKE 'it''_'                  => TRUE
            sp LIKE 'a.b*c[d]\\e^$(f)+?{g}|h' => TRUE
            sp LIKE 'a.b.c%'                => FALSE
            sp LIKE 'a*%'                   => FALSE
            sp LIKE 'a_b_c%'                => TRUE
            sp LIKE '%[d]%'                 => TRUE
            sp LIKE '%[a-z]%'               => FALSE
            sp LIKE '%\\e%'                  => TRUE
            sp LIKE '%$(f)+?{g}|h'          => TRUE
            sp LIKE '.%'                    => FALSE
            uni LIKE 'h_llo w_rld _'        => TRUE
            uni LIKE 'h__llo%'              => FALSE
            uni LIKE '%😀'                  => TRUE
            uni LIKE '%_'                   => TRUE
            uni LIKE 'héllo%'               => TRUE
            JMSType LIKE 'c%'               => TRUE
            JMSType NOT LIKE 'c_r'          => FALSE
            JMSDeliveryMode LIKE 'PERS%'    => TRUE
            JMSMessageID LIKE 'ID:%'        => TRUE
            JMSCorrelationID LIKE '%-1'     => TRUE
            """)
    void like(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            n IS NULL                  => TRUE
            missing IS NULL            => TRUE
            s IS NULL                  => FALSE
            e IS NULL                  => FALSE
            f IS NULL                  => FALSE
            zero IS NULL               => FALSE
            n IS NOT NULL              => FALSE
            missing IS NOT NULL        => FALSE
            s IS NOT NULL              => TRUE
            nan IS NOT NULL            => TRUE
            JMSPriority IS NULL        => FALSE
            JMSType IS NOT NULL        => TRUE
            JMSMessageID IS NULL       => FALSE
            JMSDeliveryMode IS NOT NULL => TRUE
            JMSExpiration IS NULL      => TRUE
            JMSRedelivered IS NULL     => TRUE
            JMSDestination IS NULL     => TRUE
            JMSReplyTo IS NOT NULL     => FALSE
            JMSDeliveryTime IS NULL    => TRUE
            JMSXDeliveryCount IS NULL  => TRUE
            """)
    void isNull(String selector, Truth expected) {
        check(selector, expected);
    }

    /** Header references; identifiers are case sensitive, so a different spelling is a property. */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            JMSPriority = 7                        => TRUE
            JMSPriority > 8                        => FALSE
            JMSPriority >= 7                       => TRUE
            JMSPriority = 7.0                      => TRUE
            JMSPriority + 1 = 8                    => TRUE
            JMSDeliveryMode = 'PERSISTENT'         => TRUE
            JMSDeliveryMode = 'NON_PERSISTENT'     => FALSE
            JMSDeliveryMode <> 'NON_PERSISTENT'    => TRUE
            JMSDeliveryMode = 'persistent'         => FALSE
            JMSType = 'car'                        => TRUE
            JMSType = 'bus'                        => FALSE
            JMSType <> 'bus'                       => TRUE
            JMSCorrelationID = 'corr-1'            => TRUE
            JMSCorrelationID = 'corr-2'            => FALSE
            JMSMessageID = 'ID:42'                 => TRUE
            JMSMessageID = JMSMessageID            => TRUE
            JMSTimestamp = 1700000000000           => TRUE
            JMSTimestamp > 1699999999999           => TRUE
            JMSTimestamp < 1.7E12                  => FALSE
            JMSExpiration = 0                      => UNKNOWN
            JMSExpiration > 0                      => UNKNOWN
            JMSDeliveryTime > 0                    => UNKNOWN
            JMSRedelivered = FALSE                 => UNKNOWN
            JMSXGroupID = 'g1'                     => TRUE
            jmspriority = 7                        => UNKNOWN
            JMSPRIORITY = 7                        => UNKNOWN
            JMSType = 'car' AND s = 'red' AND i > 2 => TRUE
            """)
    void headers(String selector, Truth expected) {
        check(selector, expected);
    }

    /** Keywords are case insensitive. */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            s in ('red')                  => TRUE
            s not in ('red')              => FALSE
            s Like 're%'                  => TRUE
            s nOt lIkE 're%'              => FALSE
            t and t                       => TRUE
            t oR f                        => TRUE
            not f                         => TRUE
            i between 1 and 5             => TRUE
            i NoT BeTwEeN 1 aNd 5         => FALSE
            n is null                     => TRUE
            n iS NoT nUlL                 => FALSE
            true                          => TRUE
            False                         => FALSE
            t = tRuE                      => TRUE
            under like '\\_%' escape '\\'  => TRUE
            """)
    void caseInsensitiveKeywords(String selector, Truth expected) {
        check(selector, expected);
    }
}
