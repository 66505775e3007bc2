package io.ddbstreamscaler.fault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Binary garbage: random bytes, NUL characters and invalid UTF-8 spoil their whole file (no document boundary can be
 * trusted in them), so they go in a file of their own beside the valid one; control characters in valid UTF-8 spoil
 * only their document.
 */
final class GarbageCases {

    /** Fixed, so that every run generates the same corpus. */
    static final long SEED = 0x7ead_5eedL;

    private static final char[] CONTROLS = {'\u0001', '\u0002', '\u0007', '\u0008', '\u000B', '\u000C', '\u000E',
            '\u001B', '\u001F', '\u007F', '\u0080', '\u0090', '\u009F'};

    private GarbageCases() {
    }

    static List<MalformedDocument> all() {
        Random random = new Random(SEED);
        List<MalformedDocument> cases = new ArrayList<>();
        for (int size : new int[] {16, 100, 1024, 4096, 65_536, 1_000_000, 3, 333}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            bytes[0] = (byte) 0xFF; // never the start of a UTF-8 sequence: a 3-byte draw could otherwise be valid text
            cases.add(file(size + " random bytes", bytes, "is not UTF-8 text (binary data?)"));
        }
        String secret = Templates.SECRET.replace(MalformedDocument.N, "garbage");
        int middle = secret.indexOf("TOKEN-CANARY");
        String[][] invalidUtf8 = {{"lone continuation byte", "80"}, {"truncated 2-byte sequence", "C3 28"},
                {"FF FE", "FF FE"}, {"overlong slash", "C0 AF"}, {"UTF-16 surrogate", "ED A0 80"},
                {"truncated 4-byte sequence", "F0 9F 98"}, {"beyond U+10FFFF", "F4 90 80 80"}};
        for (String[] row : invalidUtf8) {
            cases.add(file("invalid UTF-8: " + row[0] + " in a Secret value",
                    splice(secret, middle, hex(row[1])), "is not UTF-8 text (binary data?)"));
        }
        cases.add(file("UTF-16LE with BOM", concat(hex("FF FE"), secret.getBytes(StandardCharsets.UTF_16LE)),
                "is not UTF-8 text (binary data?)"));
        cases.add(file("NUL in a Secret value", splice(secret, middle, new byte[] {0}), "contains NUL characters"));
        cases.add(file("NUL after the kind", splice(secret, secret.indexOf("\nmetadata"), new byte[] {0, 0, 0}),
                "contains NUL characters"));
        for (int i = 0; i < 8; i++) {
            StringBuilder text = new StringBuilder("x");
            int length = 20 + random.nextInt(300);
            for (int j = 0; j < length; j++) {
                text.append((char) (' ' + random.nextInt(95)));
            }
            text.insert(1 + random.nextInt(length), CONTROLS[random.nextInt(CONTROLS.length)]);
            cases.add(MalformedDocument.rejected("printable garbage with a control character, draw " + i,
                    Category.BINARY_GARBAGE, text.toString().replace("@", "(at)"), StructureCases.DOCUMENT, null,
                    "is not valid YAML"));
        }
        return cases;
    }

    private static MalformedDocument file(String name, byte[] bytes, String message) {
        return new MalformedDocument(name, Category.BINARY_GARBAGE, Outcome.REJECTED, true, null, bytes, null, null,
                message);
    }

    private static byte[] splice(String text, int at, byte[] inserted) {
        byte[] before = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] after = text.substring(at).getBytes(StandardCharsets.UTF_8);
        return concat(before, inserted, after);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] hex(String pairs) {
        String[] parts = pairs.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }
}
