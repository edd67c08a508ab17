package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Fixed-size records from {@code .BTF.ext} handed to {@code BPF_PROG_LOAD}: {@code bpf_func_info} or
 * {@code bpf_line_info}, their instruction offsets already adjusted to the loaded program.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param recordSize the size of one record as the object file declares it ({@code *_rec_size})
 * @param records    the records back to back, in host byte order
 */
public record BtfExtRecords(int recordSize, byte[] records) {
    public BtfExtRecords {
        if (recordSize <= 0 || records.length % recordSize != 0) {
            throw new IllegalArgumentException("BTF.ext records: " + records.length
                    + " bytes are not a whole number of " + recordSize + "-byte records");
        }
        records = records.clone();
    }

    @Override
    public byte[] records() {
        return records.clone();
    }

    /** The number of records. */
    public int count() {
        return records.length / recordSize;
    }
}
