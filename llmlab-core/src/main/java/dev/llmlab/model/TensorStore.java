package dev.llmlab.model;

import java.util.Collection;
import java.util.Optional;

/** The tensors of one model checkpoint (a GGUF file, a safetensors directory), by name. */
public interface TensorStore {

    /** The tensor of that name, if the checkpoint has it. */
    Optional<StoredTensor> find(String name);

    /** Every tensor (for parameter counts and type summaries). */
    Collection<StoredTensor> all();

    /** Where the tensors come from, for error messages (a file or directory). */
    String location();
}
