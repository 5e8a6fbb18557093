package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;

/**
 * One generation an experiment ran: what was asked and what came out. Records keep these so a rerun with the
 * same seed can be checked token for token.
 *
 * @param label   which one, when an experiment runs several (empty when it runs one)
 * @param request the request
 * @param result  the result
 */
public record Generation(String label, GenerationRequest request, GenerationResult result) {
}
