package dev.llmlab.model;

import java.nio.file.Path;

/**
 * A model checkpoint opened for loading, whatever its format (a GGUF file, a Hugging Face directory): its
 * hyper-parameters, its tensors and how they are named. Closing releases the files' memory; weights taken from it
 * must not be used afterwards.
 */
public interface Checkpoint extends AutoCloseable {

    /** The model's name (metadata, else the file or directory name). */
    String name();

    /** The file or directory. */
    Path path();

    long sizeBytes();

    Architecture architecture();

    ModelConfig config();

    TensorStore tensors();

    TensorNaming naming();

    /** Whether checkpoints of this format load as Q8_0 when large (Hugging Face float checkpoints do). */
    boolean quantizeWhenLarge();

    @Override
    void close();
}
