package hub.api.inference;

import hub.api.ModelRef;

/**
 * Two images' most confident faces compared.
 *
 * @param detector the face detector that ran
 * @param embedder the recognition model that ran
 * @param similarity cosine similarity of the two embeddings
 * @param threshold the same-person threshold applied
 * @param samePerson whether the similarity reaches it
 */
public record FaceComparison(ModelRef detector, ModelRef embedder, float similarity, float threshold,
        boolean samePerson) {
}
