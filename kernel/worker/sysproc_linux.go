package worker

import (
	"os"
	"syscall"
)

// sysProcAttr puts the worker in a process group of its own (a Ctrl-C in
// the terminal of "gotrann run" is the kernel's to handle, and killing
// the group also ends what a cell started) and kills it if the kernel
// dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

func killGroup(p *os.Process) {
	if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err != nil {
		p.Kill()
	}
}
