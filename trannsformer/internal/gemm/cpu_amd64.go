//go:build amd64

package gemm

// cpuid and xgetbv are in cpu_amd64.s.

// cpuid executes CPUID with EAX=leaf and ECX=sub.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// xgetbv reads XCR0, the register state the OS saves on context switches.
func xgetbv() (eax, edx uint32)

// features are the CPU properties that choose the kernel.
type features struct {
	avx2   bool // AVX2 and FMA, with YMM state enabled by the OS
	avx512 bool // AVX-512F, with ZMM state enabled by the OS
	// avx512dqbw adds AVX-512DQ (64-bit multiplies) and AVX-512BW
	// (16-bit compares): the vector dropout draws (KeepFactors).
	avx512dqbw bool
	// halfRate512 marks AMD Zen 4 (family 19h), which executes a 512-bit
	// FMA as two 256-bit halves: measured here (EPYC family 19h model
	// 11h), 12 independent YMM FMAs and 24 ZMM FMAs both run at about
	// 116 GFLOP/s per core, so AVX-512 brings no more flops and the AVX2
	// kernel, with its smaller tile, goes first.
	halfRate512 bool
}

// cpuFeatures reads the CPU's features with CPUID and XGETBV.
func cpuFeatures() features {
	var f features
	maxLeaf, vb, vc, vd := cpuid(0, 0)
	if maxLeaf < 7 {
		return f
	}
	eax1, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return f
	}
	_, ebx7, _, _ := cpuid(7, 0)
	xcr0, _ := xgetbv()
	const (
		avx2Bit    = 1 << 5
		avx512fBit = 1 << 16
		ymmState   = 0x6  // SSE and AVX state
		zmmState   = 0xe0 // opmask, upper ZMM0-15, ZMM16-31
	)
	f.avx2 = ebx7&avx2Bit != 0 && xcr0&ymmState == ymmState
	f.avx512 = f.avx2 && ebx7&avx512fBit != 0 && xcr0&zmmState == zmmState
	const dqBit, bwBit = 1 << 17, 1 << 30
	f.avx512dqbw = f.avx512 && ebx7&dqBit != 0 && ebx7&bwBit != 0
	// "AuthenticAMD" is EBX, EDX, ECX of leaf 0, little-endian.
	amd := vb == 0x68747541 && vd == 0x69746e65 && vc == 0x444d4163
	family := eax1 >> 8 & 0xf
	if family == 0xf {
		family += eax1 >> 20 & 0xff
	}
	f.halfRate512 = amd && family == 0x19
	return f
}
