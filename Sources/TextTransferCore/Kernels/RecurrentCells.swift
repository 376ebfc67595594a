import _TextTransferVectorKernels

// The LSTM and GRU cells (C kernels per instruction set), forward above backward, for layers that must not
// reach the C module themselves. Shapes: B rows (sequences), H hidden units; `active` (B) is 0 for rows past
// their length, which keep their state. Twins: Kernels/Reference/ReferenceRecurrent.swift.

/// One LSTM step (PyTorch gate order i, f, g, o): `gates` (B, 4H) pre-activations in, activations out;
/// c = f·cPrev + i·g, h = o·tanh(c).
package func lstmCellForward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, active: UnsafePointer<UInt8>, rows: Int, hidden: Int) {
    tt_lstm_cell_forward_f32(gates, cPrev, hPrev, c, h, active, rows, hidden)
}

/// Backward of one LSTM step: writes dGates (B, 4H); dc becomes dL/dcPrev, dh becomes 0 (the caller adds
/// dGates · W_hh).
package func lstmCellBackward(gates: UnsafePointer<Float>, c: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                             dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                             active: UnsafePointer<UInt8>, rows: Int, hidden: Int) {
    tt_lstm_cell_backward_f32(gates, c, cPrev, dh, dc, dGates, active, rows, hidden)
}

/// One GRU step (PyTorch r, z, n): gi and gh (B, 3H) input and hidden parts with their biases; `act`
/// receives r, z, n; h = (1 − z)·n + z·hPrev.
package func gruCellForward(gi: UnsafePointer<Float>, gh: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                           act: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, active: UnsafePointer<UInt8>, rows: Int, hidden: Int) {
    tt_gru_cell_forward_f32(gi, gh, hPrev, act, h, active, rows, hidden)
}

/// Backward of one GRU step: writes dGi and dGh (B, 3H); dh becomes the direct part of dL/dhPrev (z·dh).
package func gruCellBackward(act: UnsafePointer<Float>, gh: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                            dh: UnsafeMutablePointer<Float>, dGi: UnsafeMutablePointer<Float>, dGh: UnsafeMutablePointer<Float>,
                            active: UnsafePointer<UInt8>, rows: Int, hidden: Int) {
    tt_gru_cell_backward_f32(act, gh, hPrev, dh, dGi, dGh, active, rows, hidden)
}
