/* The entry points of wasix_32v1 stack_checkpoint / stack_restore (setjmp /
 * longjmp; runtime/stack_checkpoint.cc has the bookkeeping and the rules).
 *
 * stack_checkpoint(ctx, snapshot, value_out) -> errno
 *   Saves what native setjmp saves: the callee-saved registers rbx, rbp,
 *   r12-r15 and the stack pointer at entry (pointing at the return address
 *   into the caller, which the compiler made the frame that called setjmp:
 *   aot/llvm/stack_checkpoints.h), then records them.
 * stack_restore(ctx, snapshot, value)
 *   Finds the record (or traps), puts the registers back, points rsp at the
 *   checkpoint's return slot, rewrites the return address there (the slot
 *   may have been reused since) and returns 0 from stack_checkpoint a
 *   second time; the runtime already stored `value` as its result. */
#if defined(__x86_64__)
        .text
        .globl  wasixc_sys_wasix_32v1_stack_checkpoint
        .type   wasixc_sys_wasix_32v1_stack_checkpoint, @function
        .p2align 4
wasixc_sys_wasix_32v1_stack_checkpoint:
        .cfi_startproc
#if defined(__CET__)
        endbr64
#endif
        movq    %rsp, %rax
        /* 8 slots: rbx rbp r12 r13 r14 r15, the entry rsp and the return
         * address; entry rsp = 8 mod 16, minus 72 is 0 mod 16 at the call. */
        subq    $72, %rsp
        .cfi_adjust_cfa_offset 72
        movq    %rbx, 0(%rsp)
        movq    %rbp, 8(%rsp)
        movq    %r12, 16(%rsp)
        movq    %r13, 24(%rsp)
        movq    %r14, 32(%rsp)
        movq    %r15, 40(%rsp)
        movq    %rax, 48(%rsp)
        movq    (%rax), %rcx
        movq    %rcx, 56(%rsp)
        movq    %rsp, %rcx          /* 4th argument: the saved context */
        call    wasixc_stack_checkpoint_save@PLT
        addq    $72, %rsp
        .cfi_adjust_cfa_offset -72
        ret
        .cfi_endproc
        .size   wasixc_sys_wasix_32v1_stack_checkpoint, .-wasixc_sys_wasix_32v1_stack_checkpoint

        .globl  wasixc_sys_wasix_32v1_stack_restore
        .type   wasixc_sys_wasix_32v1_stack_restore, @function
        .p2align 4
wasixc_sys_wasix_32v1_stack_restore:
        .cfi_startproc
#if defined(__CET__)
        endbr64
#endif
        subq    $8, %rsp            /* align for the call */
        .cfi_adjust_cfa_offset 8
        movq    %rsp, %rcx          /* 4th argument: where the caller is now */
        call    wasixc_stack_restore_find@PLT   /* the saved context, or a trap */
        /* From here on nothing below the checkpoint's frame is live. */
        movq    48(%rax), %rsp
        movq    56(%rax), %rcx
        movq    %rcx, (%rsp)
        movq    0(%rax), %rbx
        movq    8(%rax), %rbp
        movq    16(%rax), %r12
        movq    24(%rax), %r13
        movq    32(%rax), %r14
        movq    40(%rax), %r15
        xorl    %eax, %eax          /* stack_checkpoint's errno: success */
        ret
        .cfi_endproc
        .size   wasixc_sys_wasix_32v1_stack_restore, .-wasixc_sys_wasix_32v1_stack_restore
#else
#error "stack_checkpoint/stack_restore: only x86-64 has assembly entries; port them first"
#endif
        .section .note.GNU-stack,"",@progbits
