/* wasixc_safepoint: the entry generated code calls when a poll finds
 * ctx->pending set (abi.h). Generated code calls it with LLVM's
 * preserve_most convention, which on x86-64 promises that the callee
 * preserves every general-purpose register except r11 and the return
 * registers (none here: it returns void, so rax too), while the XMM
 * registers follow the C convention (not preserved; the caller saves
 * them). Written in assembly so that the promise holds whatever compiler
 * builds the runtime: GCC ignores __attribute__((preserve_most)) and
 * would compile a C definition as a plain C function (or a tail jump into
 * one) that clobbers rax, rcx, rdx, rsi, rdi and r8-r10.
 *
 * It saves those eight, aligns the stack as the SysV ABI requires at a
 * call, and calls the C++ slow path wasixc_safepoint_slow(ctx) (rdi is
 * still ctx), which saves rbx, rbp and r12-r15 itself. */
#if defined(__x86_64__)
        .text
        .globl  wasixc_safepoint
        .type   wasixc_safepoint, @function
        .p2align 4
wasixc_safepoint:
        .cfi_startproc
#if defined(__CET__)
        endbr64
#endif
        pushq   %rax
        .cfi_adjust_cfa_offset 8
        pushq   %rcx
        .cfi_adjust_cfa_offset 8
        pushq   %rdx
        .cfi_adjust_cfa_offset 8
        pushq   %rsi
        .cfi_adjust_cfa_offset 8
        pushq   %rdi
        .cfi_adjust_cfa_offset 8
        pushq   %r8
        .cfi_adjust_cfa_offset 8
        pushq   %r9
        .cfi_adjust_cfa_offset 8
        pushq   %r10
        .cfi_adjust_cfa_offset 8
        /* Entry: rsp = 8 mod 16 (the return address); after eight pushes
         * still 8 mod 16; one more slot makes it 0 mod 16 at the call. */
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        call    wasixc_safepoint_slow@PLT
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r10
        .cfi_adjust_cfa_offset -8
        popq    %r9
        .cfi_adjust_cfa_offset -8
        popq    %r8
        .cfi_adjust_cfa_offset -8
        popq    %rdi
        .cfi_adjust_cfa_offset -8
        popq    %rsi
        .cfi_adjust_cfa_offset -8
        popq    %rdx
        .cfi_adjust_cfa_offset -8
        popq    %rcx
        .cfi_adjust_cfa_offset -8
        popq    %rax
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   wasixc_safepoint, .-wasixc_safepoint
#else
#error "wasixc_safepoint: only x86-64 has an assembly entry; port it before building for another target"
#endif
        .section .note.GNU-stack,"",@progbits
