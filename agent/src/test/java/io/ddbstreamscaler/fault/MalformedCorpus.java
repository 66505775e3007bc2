package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;

/** The whole generated corpus, in a fixed order: case {@code n} is element {@code n - 1}. */
final class MalformedCorpus {

    private MalformedCorpus() {
    }

    static List<MalformedDocument> generate() {
        List<MalformedDocument> all = new ArrayList<>();
        all.addAll(StructureCases.wrongTypes());
        all.addAll(StructureCases.missingFields());
        all.addAll(ValueCases.huge());
        all.addAll(ValueCases.outOfRange());
        all.addAll(KindCases.all());
        all.addAll(GarbageCases.all());
        all.addAll(BombCases.bombs());
        all.addAll(BombCases.deepNesting());
        all.addAll(SyntaxCases.indentation());
        all.addAll(SyntaxCases.duplicates());
        all.addAll(SyntaxCases.multiDocument());
        all.addAll(SecretCases.all());
        return List.copyOf(all);
    }
}
