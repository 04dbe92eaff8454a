package notebooks

// Cell types.
const (
	Code     = "code"
	Markdown = "markdown"
	Raw      = "raw"
)

// Cell is one notebook cell.
type Cell struct {
	ID       string         // nbformat 4.5 id; "" until Normalize
	Type     string         // Code, Markdown or Raw
	Source   string         // the cell's text, lines joined
	Metadata map[string]any // cell metadata, unknown keys kept
	// Outputs and ExecutionCount are used by code cells only.
	Outputs        []*Output
	ExecutionCount *int
	// Extra holds other keys (attachments, ...), written back unchanged.
	Extra map[string]any
}

// Tags returns the cell's metadata.tags.
func (c *Cell) Tags() []string {
	list, _ := c.Metadata["tags"].([]any)
	var tags []string
	for _, t := range list {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

// HasTag reports whether the cell's metadata.tags contains tag.
func (c *Cell) HasTag(tag string) bool {
	for _, t := range c.Tags() {
		if t == tag {
			return true
		}
	}
	return false
}

// ClearOutputs removes the outputs and the execution count of a code cell.
func (c *Cell) ClearOutputs() {
	if c.Type != Code {
		return
	}
	c.Outputs = []*Output{}
	c.ExecutionCount = nil
}
