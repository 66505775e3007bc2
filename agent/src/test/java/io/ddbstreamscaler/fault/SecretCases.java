package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;

import static io.ddbstreamscaler.fault.Templates.BAD_SECRET;
import static io.ddbstreamscaler.fault.Templates.SECRET;

/** Secrets whose {@code data} is not base64 of UTF-8 text: the error names the key, never the value. */
final class SecretCases {

    static final String NOT_BASE64 = "is not valid base64 of UTF-8 text (value not shown)";

    private SecretCases() {
    }

    static List<MalformedDocument> all() {
        List<MalformedDocument> cases = new ArrayList<>();
        String[][] rows = {
                {"the canary in plain text", "SECRET-CANARY-@N@-plain"},
                {"punctuation", "!!!SECRET-CANARY-@N@!!!"},
                {"too much padding", "U0VDUkVU==="},
                {"padding in the middle", "U0VD==UkVU"},
                {"a single character", "U"},
                {"a length of 4n+1", "U0VDUkVUQ"},
                {"base64url alphabet", "U0VDUkVU-_8"},
                {"base64 of byte FF", "/w=="},
                {"base64 of an overlong encoding", "wK8="},
                {"base64 of a lone surrogate", "7aCA"},
                {"letters outside ASCII", "ÄÖÜSECRET"},
                {"percent-encoding", "SECRET%2DCANARY%2D@N@"},
                {"hex instead of base64", "0x5345435245542d43414e415259"},
                {"a number", "12345"},
                // Under the 3 MiB document limit, so parsed: one long scalar must not cost quadratic time.
                {"2.5 MB with one bad character", "!" + "QUJD".repeat(655_360)}};
        for (String[] row : rows) {
            String text = SECRET.replace("AWS_SECRET_ACCESS_KEY: U0VDUkVULUNBTkFSWS1CQUQ=",
                    "AWS_SECRET_ACCESS_KEY: \"" + row[1] + "\"");
            cases.add(MalformedDocument.rejected("data value: " + row[0].replace("\n", " "), Category.SECRET_ENCODING, text, BAD_SECRET,
                    "data.AWS_SECRET_ACCESS_KEY", NOT_BASE64));
        }
        return cases;
    }
}
